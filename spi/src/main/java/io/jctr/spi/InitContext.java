package io.jctr.spi;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a plugin receives when it is initialised. Valid only during {@link PluginFactory#init};
 * the instances it hands out stay valid for the daemon's lifetime.
 */
public interface InitContext {

    /** This plugin's registration. */
    Registration registration();

    /**
     * The plugin's persistent directory, {@code <root>/<type>.<id>} (e.g.
     * {@code /var/lib/jctr/io.jctr.snapshotter.v1.overlayfs}). Not created for the plugin.
     */
    Path root();

    /** The plugin's volatile directory, {@code <state>/<type>.<id>}, gone at reboot. Not created. */
    Path state();

    /** The daemon's API socket path, for plugins that tell others where to connect. */
    String address();

    /**
     * The plugin's configuration bound to the interface of {@link Registration#config}.
     *
     * @throws IllegalStateException when the registration declares no configuration
     * @throws IllegalArgumentException when a value cannot be converted; the message names the key
     */
    <C> C config(Class<C> type);

    /**
     * The instance of the first initialised plugin of {@code type}; the type must be among the
     * registration's requirements (or it must require {@link Registration#ALL}).
     *
     * @throws SkipPluginException when no plugin of that type initialised successfully
     */
    <T> T get(String type, Class<T> as) throws SkipPluginException;

    /** Every successfully initialised instance of {@code type}, by id, in initialisation order. */
    <T> Map<String, T> getAll(String type, Class<T> as);

    /** The daemon's event exchange. */
    EventPublisher events();

    /**
     * Adds a key/value to the plugin's exports, shown by introspection (containerd's snapshotters
     * export {@code root}, for example).
     */
    void export(String key, String value);
}
