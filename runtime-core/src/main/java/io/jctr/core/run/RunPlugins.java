package io.jctr.core.run;

import io.jctr.api.events.ContainerDelete;
import io.jctr.core.containers.ContainerService;
import io.jctr.core.events.EventExchange;
import io.jctr.core.images.ImageService;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.core.plugin.PluginRegistry;
import io.jctr.core.pull.PullPlugins;
import io.jctr.core.pull.Transfers;
import io.jctr.core.snapshots.SnapshotService;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import java.util.Optional;

/**
 * Registers {@code jctr.services.run.v1.Run} as {@code io.jctr.grpc.v1.run}. Like the archive
 * plugin it builds its {@link RunService} itself (a service plugin requiring services would make
 * them depend on each other), and looks the unpacker up at call time (the transfer plugin
 * requires the services too). It follows the event exchange so that a container's files go
 * with the container, whoever deletes it.
 */
public final class RunPlugins implements PluginFactory {

    private static final String FALLBACK_SNAPSHOTTER = "overlayfs";

    @Override
    public Registration registration() {
        return Registration.of(PluginType.GRPC, "run").requires(PluginType.SERVICE, PluginType.EVENT);
    }

    @Override
    public Object init(InitContext context) throws Exception {
        PluginInitContext ctx = (PluginInitContext) context;
        PluginRegistry registry = ctx.registry();
        RunService runs = new RunService(new RunService.Services(
                ctx.get(PluginType.SERVICE, "images-service", ImageService.class),
                ctx.get(PluginType.SERVICE, "containers-service", ContainerService.class),
                ctx.get(PluginType.SERVICE, "snapshots-service", SnapshotService.class),
                ctx.get(PluginType.SERVICE, "leases-service", LeaseService.class),
                () -> transfers(registry).map(Transfers::unpacker),
                () -> transfers(registry).map(t -> t.pulls().defaultSnapshotter()).orElse(FALLBACK_SNAPSHOTTER)),
                context.state());
        ctx.get(PluginType.EVENT, EventExchange.class).subscribe(e -> {
            if (e.event() instanceof ContainerDelete d) {
                runs.forget(e.namespace(), d.getId());
            }
        });
        runs.sweep();
        return new RunGrpcService(runs);
    }

    private static Optional<Transfers> transfers(PluginRegistry registry) {
        return registry.instances(PullPlugins.TRANSFER, Transfers.class).values().stream().findFirst();
    }
}
