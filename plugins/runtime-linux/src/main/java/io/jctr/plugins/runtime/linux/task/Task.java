package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.container.LinuxContainers;
import io.jctr.spi.runtime.TaskRef;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task as the runtime tracks it: its container (id = task id) in the namespace's
 * {@link LinuxContainers}, the root file-system mounts made for it, its init and its exec
 * processes. Operations on one task synchronise on this object.
 */
final class Task {

    final TaskRef ref;
    final LinuxContainers containers;
    final Path bundle;
    final List<String> rootfsTargets;
    final TaskProcess init;
    final Map<String, TaskProcess> execs = new LinkedHashMap<>();

    Task(TaskRef ref, LinuxContainers containers, Path bundle, List<String> rootfsTargets, TaskProcess init) {
        this.ref = ref;
        this.containers = containers;
        this.bundle = bundle;
        this.rootfsTargets = List.copyOf(rootfsTargets);
        this.init = init;
    }

    Path dir() {
        return containers.store().dir(ref.id());
    }

    Path rootfs() {
        return bundle.resolve("rootfs");
    }
}
