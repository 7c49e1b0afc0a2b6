package io.jctr.core.archive;

import io.jctr.core.content.ContentService;
import io.jctr.core.gc.GarbageCollection;
import io.jctr.core.images.ImageService;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.core.plugin.PluginRegistry;
import io.jctr.core.pull.PullPlugins;
import io.jctr.core.pull.Transfers;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;

/**
 * Registers {@code jctr.services.archive.v1.Archive} as {@code io.jctr.grpc.v1.archive}. The
 * {@link ArchiveService} it serves is built here rather than registered as a service plugin of
 * its own: requires name types, not ids, and a service plugin that requires
 * {@code io.jctr.service.v1} forms a cycle with any other such plugin (diff-service is one).
 */
public final class ArchivePlugins implements PluginFactory {

    @Override
    public Registration registration() {
        return Registration.of(PluginType.GRPC, "archive").requires(PluginType.SERVICE);
    }

    @Override
    public Object init(InitContext context) throws Exception {
        PluginInitContext ctx = (PluginInitContext) context;
        PluginRegistry registry = ctx.registry();
        return new ArchiveGrpcService(new ArchiveService(ctx.get(PluginType.SERVICE, "content-service", ContentService.class),
                ctx.get(PluginType.SERVICE, "images-service", ImageService.class),
                ctx.get(PluginType.SERVICE, "leases-service", LeaseService.class),
                GarbageCollection.sync(registry),
                () -> registry.instances(PullPlugins.TRANSFER, Transfers.class).values().stream().findFirst()
                        .map(t -> new UnpackerBridge(t.unpacker(), t.pulls().defaultSnapshotter()))));
    }
}
