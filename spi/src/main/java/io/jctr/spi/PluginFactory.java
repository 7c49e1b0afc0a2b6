package io.jctr.spi;

/**
 * The service a plugin jar provides through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.jctr.spi.PluginFactory}). The registry calls
 * {@link #registration()} at discovery and {@link #init} once, in dependency order, on one thread.
 *
 * <p>Keep the factory small and the implementation in its own class: the factory only turns
 * configuration into an instance.
 */
public interface PluginFactory {

    /** What this plugin is and what it needs; called once, must not fail. */
    Registration registration();

    /**
     * Creates the plugin's instance: the object other plugins receive from
     * {@link InitContext#get}. For the types in {@link PluginType} it implements that type's
     * contract. If the instance is {@link AutoCloseable} the registry closes it at shutdown, in
     * reverse initialisation order.
     *
     * @throws SkipPluginException when the plugin does not apply here (recorded as {@code skip})
     * @throws Exception           on failure (recorded as {@code error} with the message)
     */
    Object init(InitContext context) throws Exception;
}
