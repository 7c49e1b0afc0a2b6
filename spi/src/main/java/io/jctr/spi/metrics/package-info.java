/**
 * The metrics contract: per-container cgroup statistics, sampled on demand. A
 * {@link io.jctr.spi.metrics.MetricsCollector} reads them for the daemon's Prometheus endpoint; a
 * {@link io.jctr.spi.runtime.ContainerRuntime} returns them for containerd's tasks
 * {@code Metrics} call. Both speak {@link io.jctr.spi.metrics.CgroupStats}, whose key vocabulary
 * follows containerd's cgroups metrics messages so the daemon can fill those messages without
 * per-plugin knowledge.
 *
 * <p><b>Errors.</b> Conditions a client can act on are reported as
 * {@link io.jctr.spi.JctrException} with the kind each method documents; an
 * {@link java.io.IOException} means reading the statistics failed in a way no kind describes.
 */
package io.jctr.spi.metrics;
