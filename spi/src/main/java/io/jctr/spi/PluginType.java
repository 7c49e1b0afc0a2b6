package io.jctr.spi;

/**
 * The plugin types jctr knows. A type names a contract: every plugin of one type returns an
 * instance of the same interface from {@link PluginFactory#init}. Third parties may define
 * further types; these are the ones the daemon itself consumes.
 */
public final class PluginType {
    /** A {@link io.jctr.spi.content.ContentStore}. */
    public static final String CONTENT = "io.jctr.content.v1";
    /** A {@link io.jctr.spi.snapshots.Snapshotter}. */
    public static final String SNAPSHOTTER = "io.jctr.snapshotter.v1";
    /** A {@link io.jctr.spi.runtime.ContainerRuntime}. */
    public static final String RUNTIME = "io.jctr.runtime.v1";
    /** A {@link io.jctr.spi.metrics.MetricsCollector}. */
    public static final String METRICS = "io.jctr.metrics.v1";
    /** The daemon's metadata store (internal to the daemon). */
    public static final String METADATA = "io.jctr.metadata.v1";
    /** The daemon's event exchange; its instance is an {@link EventPublisher}. */
    public static final String EVENT = "io.jctr.event.v1";
    /** A gRPC service served on the daemon's socket (internal to the daemon). */
    public static final String GRPC = "io.jctr.grpc.v1";
    /** Garbage collection of unreferenced content and snapshots (internal to the daemon). */
    public static final String GC = "io.jctr.gc.v1";
    /** A local service holding the logic behind a gRPC service (internal to the daemon). */
    public static final String SERVICE = "io.jctr.service.v1";

    private PluginType() {
    }
}
