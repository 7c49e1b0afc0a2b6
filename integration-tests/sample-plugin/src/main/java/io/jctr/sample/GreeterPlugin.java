package io.jctr.sample;

import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.Registration;

/**
 * A plugin that initialises: it exports its bound configuration and what its class loader can
 * see, so a test can check both the config binding and the isolation from the daemon's classes.
 */
public final class GreeterPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of("io.jctr.sample.v1", "greeter").requires("io.jctr.event.v1").config(GreeterConfig.class);
    }

    @Override
    public Object init(InitContext context) {
        GreeterConfig config = context.config(GreeterConfig.class);
        context.export("greeting", config.greeting().repeat(config.repeat()));
        context.export("sees-daemon-classes", String.valueOf(visible("io.jctr.core.plugin.PluginRegistry")));
        context.export("sees-grpc", String.valueOf(visible("io.grpc.Server")));
        context.events().publish("default", "/sample/greeted", config.greeting());
        return new Object();
    }

    private static boolean visible(String className) {
        try {
            Class.forName(className, false, GreeterPlugin.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
