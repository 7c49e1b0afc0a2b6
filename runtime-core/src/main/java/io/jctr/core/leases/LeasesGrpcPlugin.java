package io.jctr.core.leases;

import io.jctr.core.gc.GarbageCollection;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/** Registers the leases API as {@code io.jctr.grpc.v1.leases}. */
public final class LeasesGrpcPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.GRPC, "leases").requires(PluginType.SERVICE);
    }

    @Override
    public Object init(InitContext context) throws Exception {
        PluginInitContext ctx = (PluginInitContext) context;
        return new LeasesGrpcService(ctx.get(PluginType.SERVICE, "leases-service", LeaseService.class),
                GarbageCollection.sync(ctx.registry()));
    }
}
