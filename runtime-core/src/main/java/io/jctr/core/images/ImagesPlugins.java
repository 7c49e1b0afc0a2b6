package io.jctr.core.images;

import io.jctr.core.gc.GarbageCollection;
import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/** The image service and its gRPC adapter as registry plugins. */
public final class ImagesPlugins {

    private ImagesPlugins() {
    }

    /** {@code io.jctr.service.v1.images-service}. */
    public static final class Service implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.SERVICE, "images-service").requires(PluginType.METADATA, PluginType.EVENT);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            return new ImageService(context.get(PluginType.METADATA, MetadataStore.class), context.events());
        }
    }

    /** {@code io.jctr.grpc.v1.images}. */
    public static final class Grpc implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.GRPC, "images").requires(PluginType.SERVICE);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            PluginInitContext ctx = (PluginInitContext) context;
            return new ImagesGrpcService(ctx.get(PluginType.SERVICE, "images-service", ImageService.class),
                    GarbageCollection.sync(ctx.registry()));
        }
    }
}
