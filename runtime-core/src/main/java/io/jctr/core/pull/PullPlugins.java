package io.jctr.core.pull;

import io.jctr.core.content.ContentService;
import io.jctr.core.diff.DiffService;
import io.jctr.core.images.ImageService;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.plugin.PluginInitContext;
import io.jctr.core.registry.RegistryConfig;
import io.jctr.core.registry.TrustedCertificates;
import io.jctr.core.snapshots.SnapshotService;
import io.jctr.core.unpack.ImageUnpacker;
import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The transfer service (pull, push, unpack) and its gRPC adapter as registry plugins. The
 * service has its own type, {@code io.jctr.transfer.v1} (containerd 1.7 names its equivalent
 * "transfer"), because it requires the other services and a service requiring services would
 * make the {@code io.jctr.service.v1} plugins depend on each other.
 */
public final class PullPlugins {

    /** The plugin type of the transfer service. */
    public static final String TRANSFER = "io.jctr.transfer.v1";

    private PullPlugins() {
    }

    /** {@code io.jctr.transfer.v1.pull-service}, configured by {@link PullConfig}. */
    public static final class Service implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(TRANSFER, "pull-service").requires(PluginType.SERVICE).config(PullConfig.class);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            PluginInitContext ctx = (PluginInitContext) context;
            PullConfig config = context.config(PullConfig.class);
            ContentService content = ctx.get(PluginType.SERVICE, "content-service", ContentService.class);
            ImageService images = ctx.get(PluginType.SERVICE, "images-service", ImageService.class);
            SnapshotService snapshots = ctx.get(PluginType.SERVICE, "snapshots-service", SnapshotService.class);
            DiffService diff = ctx.get(PluginType.SERVICE, "diff-service", DiffService.class);
            LeaseService leases = ctx.get(PluginType.SERVICE, "leases-service", LeaseService.class);
            ExecutorService workers = Executors.newCachedThreadPool(daemonThreads("jctr-transfer-"));
            ImageUnpacker unpacker = new ImageUnpacker(content, snapshots, diff, images, leases, workers, config.maxConcurrentUnpacks());
            RegistryConfig registry = new RegistryConfig(config.insecureRegistries(), TrustedCertificates.sslContext(config.caFile()),
                    config.maxManifestBytes());
            PullService pulls = new PullService(content, images, leases, snapshots, unpacker, registry, workers,
                    config.maxConcurrentDownloads(), config.snapshotter());
            return new Transfers(pulls, new PushService(content, images, unpacker, pulls), unpacker);
        }
    }

    /** {@code io.jctr.grpc.v1.pull}: {@code jctr.services.pull.v1.Pull}. */
    public static final class Grpc implements PluginFactory {
        @Override
        public Registration registration() {
            return Registration.of(PluginType.GRPC, "pull").requires(TRANSFER);
        }

        @Override
        public Object init(InitContext context) throws Exception {
            Transfers t = context.get(TRANSFER, Transfers.class);
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("jctr-progress-"));
            return new PullGrpcService(t.pulls(), t.pushes(), timer);
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
