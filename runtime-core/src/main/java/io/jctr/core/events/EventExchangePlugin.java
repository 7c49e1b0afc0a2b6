package io.jctr.core.events;

import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/** Registers the in-process event exchange as {@code io.jctr.event.v1.exchange}. */
public final class EventExchangePlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.EVENT, "exchange");
    }

    @Override
    public Object init(InitContext context) {
        return new EventExchange();
    }
}
