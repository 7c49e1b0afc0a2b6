package io.jctr.core.plugin;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * The class loader of one plugin jar. Its parent is the platform loader, so the plugin sees the
 * JDK and its own jar only; classes of {@code io.jctr.spi} are delegated to the loader that holds
 * the SPI, so that the plugin and the daemon share one copy of every contract type. Nothing
 * else of the daemon (Quarkus, gRPC, Jackson, runtime-core) is visible: a plugin's dependencies
 * cannot clash with ours.
 */
final class PluginClassLoader extends URLClassLoader {

    private static final String SPI_PACKAGE = "io.jctr.spi.";

    private final ClassLoader spiLoader;

    PluginClassLoader(String name, URL jar, ClassLoader spiLoader) {
        super(name, new URL[] {jar}, ClassLoader.getPlatformClassLoader());
        this.spiLoader = spiLoader;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(SPI_PACKAGE)) {
            return spiLoader.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }
}
