package io.jctr.core.plugin;

import io.jctr.spi.EventPublisher;
import io.jctr.spi.InitContext;
import io.jctr.spi.Registration;
import io.jctr.spi.SkipPluginException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The registry's {@link InitContext}. The daemon's own plugins may cast to it to reach the
 * registry itself (introspection lists every plugin; the API server collects the services).
 */
public final class PluginInitContext implements InitContext {

    private final PluginRegistry registry;
    private final PluginRecord record;
    private final PluginRegistry.Environment env;
    private final Object config;
    private final EventPublisher events;

    PluginInitContext(PluginRegistry registry, PluginRecord record, PluginRegistry.Environment env, Object config,
                      EventPublisher events) {
        this.registry = registry;
        this.record = record;
        this.env = env;
        this.config = config;
        this.events = events;
    }

    /** The registry initialising this plugin; for the daemon's own plugins only. */
    public PluginRegistry registry() {
        return registry;
    }

    /** The daemon configuration as a whole; for the daemon's own plugins only. */
    public PluginRegistry.Environment environment() {
        return env;
    }

    @Override
    public Registration registration() {
        return record.registration();
    }

    @Override
    public Path root() {
        return env.root().resolve(record.registration().name());
    }

    @Override
    public Path state() {
        return env.state().resolve(record.registration().name());
    }

    @Override
    public String address() {
        return env.address();
    }

    @Override
    public <C> C config(Class<C> type) {
        if (config == null) {
            throw new IllegalStateException("plugin " + record.registration().name() + " declares no configuration");
        }
        return type.cast(config);
    }

    @Override
    public <T> T get(String type, Class<T> as) throws SkipPluginException {
        checkRequired(type);
        Map<String, T> all = registry.instances(type, as);
        if (all.isEmpty()) {
            throw new SkipPluginException("no plugin of required type " + type + " is available");
        }
        return all.values().iterator().next();
    }

    /** The instance of plugin {@code type.id}, for plugins that need one plugin of a type. */
    public <T> T get(String type, String id, Class<T> as) throws SkipPluginException {
        T instance = getAll(type, as).get(id);
        if (instance == null) {
            throw new SkipPluginException("required plugin " + type + "." + id + " is not available");
        }
        return instance;
    }

    @Override
    public <T> Map<String, T> getAll(String type, Class<T> as) {
        checkRequired(type);
        return registry.instances(type, as);
    }

    @Override
    public EventPublisher events() {
        return events;
    }

    @Override
    public void export(String key, String value) {
        record.putExport(key, value);
    }

    private void checkRequired(String type) {
        var required = record.registration().requiredTypes();
        if (!required.contains(type) && !required.contains(Registration.ALL)) {
            throw new IllegalStateException("plugin " + record.registration().name() + " asks for " + type
                    + " without requiring it in its registration");
        }
    }
}
