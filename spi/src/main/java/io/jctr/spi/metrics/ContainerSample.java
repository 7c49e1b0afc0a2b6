package io.jctr.spi.metrics;

import java.util.Objects;

/**
 * The statistics of one registered container, as {@link MetricsCollector#collect} delivers them.
 *
 * @param namespace   the container's namespace
 * @param containerId the container's id
 * @param stats       the sample
 */
public record ContainerSample(String namespace, String containerId, CgroupStats stats) {

    /** @throws NullPointerException when a component is {@code null} */
    public ContainerSample {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(stats, "stats");
    }
}
