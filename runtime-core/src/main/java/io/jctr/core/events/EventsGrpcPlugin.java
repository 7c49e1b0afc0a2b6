package io.jctr.core.events;

import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/** Registers the events API as {@code io.jctr.grpc.v1.events}, over the event exchange. */
public final class EventsGrpcPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.GRPC, "events").requires(PluginType.EVENT);
    }

    @Override
    public Object init(InitContext context) throws Exception {
        return new EventsGrpcService(context.get(PluginType.EVENT, EventExchange.class));
    }
}
