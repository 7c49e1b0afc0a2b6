/**
 * The native runtime as the daemon's {@link io.jctr.spi.runtime.ContainerRuntime}:
 * {@link io.jctr.plugins.runtime.linux.task.LinuxRuntime} maps tasks (namespace + id) and exec
 * processes onto {@link io.jctr.plugins.runtime.linux.container.LinuxContainers}, mounts the
 * snapshotter's root file system, and runs each task under its shim
 * ({@link io.jctr.plugins.runtime.linux.shim}), which owns the task's processes, streams and exit
 * statuses, so tasks outlive the daemon.
 * {@link io.jctr.plugins.runtime.linux.task.LinuxRuntimePlugin} registers it as
 * {@code io.jctr.runtime.v1.linux}.
 */
package io.jctr.plugins.runtime.linux.task;
