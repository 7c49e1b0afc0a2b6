package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.cgroups.OomWatch;
import io.jctr.plugins.runtime.linux.container.ContainerStatus;
import io.jctr.plugins.runtime.linux.shim.ShimClient;
import io.jctr.plugins.runtime.linux.shim.ShimStarter;
import io.jctr.plugins.runtime.linux.shim.ShimStdio;
import io.jctr.spi.metrics.CgroupStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What runs a task's container: jctr's own engine ({@link NativeEngine}) or an external OCI
 * runtime binary driven through its command line ({@link OciBinaryEngine}). Either way the
 * container's processes are children of the task's shim, which reports their exits. Errors:
 * {@code FAILED_PRECONDITION} ({@code container not running}) for what needs a live container.
 */
interface TaskEngine {

    /** A created container: its init and the shim it is a child of. */
    record Created(int pid, long startTime, ShimClient shim) {
    }

    /**
     * Creates the container {@code id} from {@code bundle}, its init waiting for {@link #start};
     * on failure nothing of it is left but the shim, which the caller stops.
     */
    Created create(String id, String cgroupsPath, Path bundle, ShimStdio stdio, ShimStarter.ShimSource shim)
            throws IOException;

    void start(String id) throws IOException;

    /** Starts {@code processJson} (an OCI process) in the container; returns its pid. */
    int exec(String id, String processJson, ShimStdio stdio, ShimClient shim) throws IOException;

    ContainerStatus status(String id) throws IOException;

    void kill(String id, int signal, boolean all) throws IOException;

    void pause(String id) throws IOException;

    void resume(String id) throws IOException;

    /** Checkpoints the running container into {@code imageDir} with CRIU, leaving it running. */
    void checkpoint(String id, Path imageDir) throws IOException;

    /** Applies {@code resourcesJson}, an OCI {@code linux.resources} object. */
    void update(String id, String resourcesJson) throws IOException;

    List<Integer> pids(String id) throws IOException;

    CgroupStats stats(String id) throws IOException;

    /**
     * A watch on the OOM notifications of the container's memory cgroup, or {@code null} when
     * this engine does not watch (an external binary's cgroup is the binary's business).
     */
    default OomWatch watchOom(String id) throws IOException {
        return null;
    }

    /** The container's spec as it was created. */
    Path config(String id);

    /** Removes the stopped container: its cgroup and state (including the task's directory). */
    void delete(String id) throws IOException;
}
