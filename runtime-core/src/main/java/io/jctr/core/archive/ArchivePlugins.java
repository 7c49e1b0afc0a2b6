package io.jctr.core.archive;

import io.jctr.core.content.ContentService;
import io.jctr.core.gc.GarbageCollection;
import io.jctr.core.images.ImageService;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.core.plugin.PluginRegistry;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;


/** The archive service and its gRPC adapter as registry plugins. */
public final class ArchivePlugins {

    private ArchivePlugins() {
    }

    /**
     * {@code io.jctr.service.v1.archive-service}. Requires the GC type only so that a collection
     * can run after a failed import; a daemon without a collector still imports.
     */
    public static final class Service implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.SERVICE, "archive-service").requires(PluginType.SERVICE);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            PluginInitContext ctx = (PluginInitContext) context;
            PluginRegistry registry = ctx.registry();
            return new ArchiveService(ctx.get(PluginType.SERVICE, "content-service", ContentService.class),
                    ctx.get(PluginType.SERVICE, "images-service", ImageService.class),
                    ctx.get(PluginType.SERVICE, "leases-service", LeaseService.class),
                    GarbageCollection.sync(registry),
                    () -> registry.instances(PluginType.SERVICE, ImportUnpacker.class).values().stream().findFirst());
        }
    }

    /** {@code io.jctr.grpc.v1.archive}: {@code jctr.services.archive.v1.Archive}. */
    public static final class Grpc implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.GRPC, "archive").requires(PluginType.SERVICE);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            return new ArchiveGrpcService(((PluginInitContext) context).get(PluginType.SERVICE, "archive-service", ArchiveService.class));
        }
    }

}
