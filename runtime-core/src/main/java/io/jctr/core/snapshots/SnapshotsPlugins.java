package io.jctr.core.snapshots;

import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import io.jctr.spi.snapshots.Snapshotter;

/** The snapshot service and its gRPC adapter as registry plugins. */
public final class SnapshotsPlugins {

    private SnapshotsPlugins() {
    }

    /** {@code io.jctr.service.v1.snapshots-service}: every snapshotter plugin that initialised, by id. */
    public static final class Service implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.SERVICE, "snapshots-service")
                    .requires(PluginType.METADATA, PluginType.EVENT, PluginType.SNAPSHOTTER);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            return new SnapshotService(context.get(PluginType.METADATA, MetadataStore.class),
                    context.getAll(PluginType.SNAPSHOTTER, Snapshotter.class), context.events());
        }
    }

    /** {@code io.jctr.grpc.v1.snapshots}. */
    public static final class Grpc implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.GRPC, "snapshots").requires(PluginType.SERVICE);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            return new SnapshotsGrpcService(((PluginInitContext) context).get(PluginType.SERVICE, "snapshots-service", SnapshotService.class));
        }
    }
}
