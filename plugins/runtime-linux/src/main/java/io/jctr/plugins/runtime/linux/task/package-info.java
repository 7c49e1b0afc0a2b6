/**
 * The native runtime as the daemon's {@link io.jctr.spi.runtime.ContainerRuntime}:
 * {@link io.jctr.plugins.runtime.linux.task.LinuxRuntime} maps tasks (namespace + id) and exec
 * processes onto {@link io.jctr.plugins.runtime.linux.container.LinuxContainers}, mounts the
 * snapshotter's root file system, holds stdio FIFOs, relays terminals, and observes exits
 * in-process (the JVM is a child subreaper; see
 * {@link io.jctr.plugins.runtime.linux.task.ExitWatcher}).
 * {@link io.jctr.plugins.runtime.linux.task.LinuxRuntimePlugin} registers it as
 * {@code io.jctr.runtime.v1.linux}.
 */
package io.jctr.plugins.runtime.linux.task;
