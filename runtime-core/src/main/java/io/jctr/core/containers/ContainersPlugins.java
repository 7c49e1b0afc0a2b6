package io.jctr.core.containers;

import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/** The container service and its gRPC adapter as registry plugins. */
public final class ContainersPlugins {

    private ContainersPlugins() {
    }

    /** {@code io.jctr.service.v1.containers-service}. */
    public static final class Service implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.SERVICE, "containers-service").requires(PluginType.METADATA, PluginType.EVENT);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            return new ContainerService(context.get(PluginType.METADATA, MetadataStore.class), context.events());
        }
    }

    /** {@code io.jctr.grpc.v1.containers}. */
    public static final class Grpc implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.GRPC, "containers").requires(PluginType.SERVICE);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            return new ContainersGrpcService(((PluginInitContext) context).get(PluginType.SERVICE, "containers-service", ContainerService.class));
        }
    }
}
