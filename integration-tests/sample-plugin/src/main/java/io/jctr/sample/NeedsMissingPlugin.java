package io.jctr.sample;

import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.Registration;

/** A plugin whose requirement no daemon provides: the registry must report it as skip. */
public final class NeedsMissingPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of("io.jctr.sample.v1", "needs-missing").requires("io.jctr.nonexistent.v1");
    }

    @Override
    public Object init(InitContext context) {
        throw new IllegalStateException("initialised although its requirement is missing");
    }
}
