package io.jctr.core.plugin;

import io.jctr.spi.PluginFactory;
import io.jctr.spi.Registration;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds plugin factories: first the daemon's own, on the class path, then one class loader per
 * jar in the plugins directory (in name order). A jar whose factory cannot even be constructed
 * is logged and left out: without a registration there is nothing to list.
 */
final class PluginDiscovery {

    private static final Logger LOG = Logger.getLogger(PluginDiscovery.class.getName());

    private PluginDiscovery() {
    }

    static List<PluginRecord> discover(ClassLoader classpath, Path pluginsDir) {
        List<PluginRecord> found = new ArrayList<>();
        load(ServiceLoader.load(PluginFactory.class, classpath), "classpath", null, found);
        for (Path jar : jars(pluginsDir)) {
            try {
                PluginClassLoader loader = new PluginClassLoader("plugin:" + jar.getFileName(), jar.toUri().toURL(),
                        PluginFactory.class.getClassLoader());
                load(ServiceLoader.load(PluginFactory.class, loader), jar.toString(), loader, found);
            } catch (MalformedURLException e) {
                LOG.warning("cannot load plugin jar " + jar + ": " + e.getMessage());
            }
        }
        return found;
    }

    private static void load(ServiceLoader<PluginFactory> loader, String source, ClassLoader own, List<PluginRecord> out) {
        var it = loader.iterator();
        while (true) {
            PluginFactory factory;
            try {
                if (!it.hasNext()) {
                    return;
                }
                factory = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                LOG.log(Level.WARNING, "cannot load a plugin from " + source + ": " + e.getMessage(), e);
                continue;
            }
            if (own != null && factory.getClass().getClassLoader() != own) {
                continue; // a provider visible through the parent, not this jar's own
            }
            try {
                Registration registration = factory.registration();
                out.add(new PluginRecord(factory, registration, source));
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "plugin " + factory.getClass().getName() + " from " + source
                        + " has no valid registration: " + e.getMessage(), e);
            }
        }
    }

    private static List<Path> jars(Path dir) {
        List<Path> jars = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return jars;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.jar")) {
            stream.forEach(jars::add);
        } catch (IOException e) {
            LOG.warning("cannot list plugins directory " + dir + ": " + e.getMessage());
        }
        jars.sort(null);
        return jars;
    }
}
