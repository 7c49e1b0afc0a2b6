package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.container.Caller;
import io.jctr.plugins.runtime.linux.container.LinuxContainers;
import io.jctr.plugins.runtime.linux.launch.HelperStarter;
import io.jctr.plugins.runtime.linux.shim.ShimClient;
import io.jctr.spi.runtime.TaskRef;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task as the runtime tracks it: its container (id = task id) in the namespace's
 * {@link LinuxContainers}, its shim, the root file-system mounts made for it, its init and its
 * exec processes. Operations on one task synchronise on this object.
 */
final class Task {

    final TaskRef ref;
    final LinuxContainers containers;
    final Path bundle;
    final List<String> rootfsTargets;
    final TaskProcess init;
    final Map<String, TaskProcess> execs = new LinkedHashMap<>();
    /** The connection to the shim; {@code null} when it was gone at re-attach. */
    final ShimClient shim;

    Task(TaskRef ref, LinuxContainers containers, Path bundle, List<String> rootfsTargets, TaskProcess init,
            ShimClient shim) {
        this.ref = ref;
        this.containers = containers;
        this.bundle = bundle;
        this.rootfsTargets = List.copyOf(rootfsTargets);
        this.init = init;
        this.shim = shim;
    }

    Path dir() {
        return containers.store().dir(ref.id());
    }

    Path rootfs() {
        return bundle.resolve("rootfs");
    }

    /** Whether the shim can still be asked to do something. */
    boolean shimReachable() {
        return shim != null && !shim.gone();
    }

    /** The same containers, with helpers started by {@code starter} (the shim's). */
    static LinuxContainers launching(LinuxContainers containers, HelperStarter starter, java.util.function.Consumer<String> warnings) {
        return new LinuxContainers(containers.store(), warnings, new Caller(starter, null, Caller.SELF.cgroups()));
    }
}
