package io.jctr.core.namespaces;

import io.jctr.core.plugin.PluginInitContext;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/** Registers the namespaces API as {@code io.jctr.grpc.v1.namespaces}. */
public final class NamespacesGrpcPlugin implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.GRPC, "namespaces").requires(PluginType.SERVICE);
    }

    @Override
    public Object init(InitContext context) throws Exception {
        return new NamespacesGrpcService(((PluginInitContext) context)
                .get(PluginType.SERVICE, "namespaces-service", NamespaceService.class));
    }
}
