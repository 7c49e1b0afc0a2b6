package io.jctr.sample;

import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.Registration;

/** A plugin whose initialisation throws: the registry must report it as error, with the message. */
public final class FailingPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of("io.jctr.sample.v1", "failing");
    }

    @Override
    public Object init(InitContext context) {
        throw new IllegalStateException("sample failure: the device is on fire");
    }
}
