package io.jctr.spi.metrics;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Samples the cgroup statistics of registered containers: the contract of plugins of type
 * {@link io.jctr.spi.PluginType#METRICS} (containerd's {@code metrics/cgroups} collector). The
 * daemon registers a container when its task starts and unregisters it when the task is deleted;
 * at each scrape of its Prometheus endpoint it calls {@link #collect} and turns the samples into
 * metrics labelled with namespace and container id. The collector itself exports nothing.
 *
 * <p>Thread-safety: every method may be called concurrently from any thread; sampling reads the
 * cgroup file system and may block briefly.
 */
public interface MetricsCollector {

    /**
     * Starts tracking a container; replaces an earlier registration of the same container, so the
     * daemon can simply register again after a restart. Does not check that the cgroup exists.
     *
     * @param cgroupPath the container's cgroup as {@code /proc/<pid>/cgroup} lists it for its init
     *                   process: absolute within the hierarchy, e.g. {@code /default/redis} (on
     *                   cgroup v1 the same path in every controller's hierarchy)
     * @throws io.jctr.spi.JctrException {@code INVALID_ARGUMENT} when the path is not absolute or
     *                                   leaves the hierarchy ({@code ..})
     */
    void register(String namespace, String containerId, String cgroupPath);

    /** Stops tracking a container; a no-op when it is not registered. */
    void unregister(String namespace, String containerId);

    /**
     * Samples one registered container now.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the container is not registered or
     *                                   its cgroup no longer exists
     * @throws IOException               when the statistics cannot be read
     */
    CgroupStats sample(String namespace, String containerId) throws IOException;

    /**
     * Samples every registered container and passes each sample to {@code consumer}, in no
     * particular order. A container whose cgroup no longer exists is skipped and unregistered; one
     * whose statistics cannot be read is skipped. An exception the consumer throws ends the
     * collection and propagates.
     */
    void collect(Consumer<ContainerSample> consumer);
}
