package io.jctr.core.plugin;

import io.jctr.core.config.ConfigBinder;
import io.jctr.spi.EventPublisher;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import io.jctr.spi.SkipPluginException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * containerd's plugin registry in Java: discovers {@link io.jctr.spi.PluginFactory} providers,
 * initialises them in dependency order and records for each one {@code ok}, {@code skip} (with
 * the reason) or {@code error} (with the message). A failing plugin never stops the others.
 */
public final class PluginRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PluginRegistry.class.getName());

    /** What initialisation needs from the daemon. */
    public record Environment(Path root, Path state, String address, Config config, Collection<String> disabled) {
    }

    private final List<PluginRecord> discovered;
    private final List<PluginRecord> initialised = new ArrayList<>();

    PluginRegistry(List<PluginRecord> discovered) {
        this.discovered = markDuplicates(discovered);
    }

    /** Discovers the plugins on the class path and in {@code pluginsDir} (which may be absent). */
    public static PluginRegistry discover(ClassLoader classpath, Path pluginsDir) {
        return new PluginRegistry(PluginDiscovery.discover(classpath, pluginsDir));
    }

    /** Initialises every plugin once, in dependency order. */
    public void initAll(Environment env) {
        Set<String> disabled = Set.copyOf(env.disabled());
        for (PluginRecord r : discovered) {
            Registration reg = r.registration();
            if (r.status() == null && (disabled.contains(reg.id()) || disabled.contains(reg.name()))) {
                r.skip("disabled in the configuration");
            }
        }
        for (PluginRecord r : InitOrder.sort(discovered)) {
            init(r, env);
            initialised.add(r);
            LOG.log(r.status() == PluginStatus.ERROR ? Level.WARNING : Level.FINE, "plugin {0}", r);
        }
    }

    /** Every discovered plugin, initialised ones in initialisation order first. */
    public List<PluginRecord> plugins() {
        List<PluginRecord> all = new ArrayList<>(initialised);
        for (PluginRecord r : discovered) {
            if (!all.contains(r)) {
                all.add(r);
            }
        }
        return Collections.unmodifiableList(all);
    }

    /** The instances of {@code type} that initialised, by id, in initialisation order. */
    public <T> Map<String, T> instances(String type, Class<T> as) {
        Map<String, T> out = new LinkedHashMap<>();
        for (PluginRecord r : initialised) {
            if (r.status() == PluginStatus.OK && r.registration().type().equals(type) && as.isInstance(r.instance())) {
                out.put(r.registration().id(), as.cast(r.instance()));
            }
        }
        return out;
    }

    /** Closes every initialised {@link AutoCloseable} instance, in reverse initialisation order. */
    @Override
    public void close() {
        for (int i = initialised.size() - 1; i >= 0; i--) {
            PluginRecord r = initialised.get(i);
            if (r.instance() instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "closing plugin " + r.registration().name() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private void init(PluginRecord r, Environment env) {
        if (r.status() != null) {
            return; // disabled, duplicate or on a cycle
        }
        Registration reg = r.registration();
        for (String type : reg.requiredTypes()) {
            if (!Registration.ALL.equals(type) && instances(type, Object.class).isEmpty()) {
                r.skip("no plugin of required type " + type + " is available");
                return;
            }
        }
        ClassLoader loader = r.factory().getClass().getClassLoader();
        boolean external = loader instanceof PluginClassLoader;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Object config = reg.configType() == null ? null
                    : ConfigBinder.bind(env.config(), "jctr.plugins.\"" + reg.name() + "\"", reg.configType());
            PluginInitContext ctx = new PluginInitContext(this, r, env, config, events());
            Object instance = r.factory().init(ctx);
            if (instance == null) {
                r.error("plugin returned no instance");
            } else {
                r.ok(external ? ContextClassLoaderProxy.wrap(instance, loader) : instance);
            }
        } catch (SkipPluginException e) {
            r.skip(e.getMessage());
        } catch (Exception | LinkageError e) {
            String msg = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            r.error(msg);
            LOG.log(Level.FINE, "plugin " + reg.name() + " failed", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private EventPublisher events() {
        Map<String, EventPublisher> exchanges = instances(PluginType.EVENT, EventPublisher.class);
        if (!exchanges.isEmpty()) {
            return exchanges.values().iterator().next();
        }
        return (namespace, topic, event) -> LOG.fine(() -> "no event exchange: dropped " + topic);
    }

    private static List<PluginRecord> markDuplicates(List<PluginRecord> records) {
        Map<String, PluginRecord> seen = new HashMap<>();
        for (PluginRecord r : records) {
            PluginRecord first = seen.putIfAbsent(r.registration().name(), r);
            if (first != null) {
                r.error("duplicate plugin " + r.registration().name() + ": also provided by " + first.source());
            }
        }
        return List.copyOf(records);
    }
}
