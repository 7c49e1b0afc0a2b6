package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.shim.ShimClient;
import io.jctr.spi.runtime.TaskRef;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task as the runtime tracks it: its container (id = task id) and what runs it
 * ({@link TaskEngine}), its directory and shim, the root file-system mounts made for it, its
 * init and its exec processes. Operations on one task synchronise on this object.
 */
final class Task {

    final TaskRef ref;
    final TaskEngine engine;
    /** The task's directory: the container's state, the runtime's files, the shim's. */
    final Path dir;
    final Path bundle;
    final List<String> rootfsTargets;
    final TaskProcess init;
    final Map<String, TaskProcess> execs = new LinkedHashMap<>();
    /** The connection to the shim; {@code null} when it was gone at re-attach. */
    final ShimClient shim;

    Task(TaskRef ref, TaskEngine engine, Path dir, Path bundle, List<String> rootfsTargets, TaskProcess init,
            ShimClient shim) {
        this.ref = ref;
        this.engine = engine;
        this.dir = dir;
        this.bundle = bundle;
        this.rootfsTargets = List.copyOf(rootfsTargets);
        this.init = init;
        this.shim = shim;
    }

    Path rootfs() {
        return bundle.resolve("rootfs");
    }

    /** Whether the shim can still be asked to do something. */
    boolean shimReachable() {
        return shim != null && !shim.gone();
    }
}
