package io.jctr.spi.runtime;

import io.jctr.spi.snapshots.Mount;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ContainerRuntime#create} needs to create a task (containerd's
 * {@code runtime.CreateOpts}, without checkpoint restore).
 *
 * @param task   the task to create
 * @param bundle the OCI bundle directory, absolute; the daemon has written the runtime spec to
 *               {@code config.json} in it, with {@code root.path} set to {@code rootfs}, as
 *               containerd does
 * @param rootfs the mounts that make up the root file system, from the snapshotter; the runtime
 *               creates {@code <bundle>/rootfs} if needed and performs them onto it in order
 *               before creating the container, and undoes them on
 *               {@link ContainerRuntime#delete}. Empty when the root file system is already in
 *               place there. Copied, immutable
 * @param stdio  the init process's standard streams
 * @param options the runtime options of the container (e.g. an OCI runtime binary to drive)
 */
public record CreateRequest(TaskRef task, Path bundle, List<Mount> rootfs, Stdio stdio, RuntimeOptions options) {

    /** A request with the default runtime options. */
    public CreateRequest(TaskRef task, Path bundle, List<Mount> rootfs, Stdio stdio) {
        this(task, bundle, rootfs, stdio, RuntimeOptions.defaults());
    }

    /**
     * Validates and copies the components; {@code null} rootfs, stdio and options become empty.
     *
     * @throws NullPointerException     when the task or the bundle is {@code null}
     * @throws IllegalArgumentException when the bundle path is relative
     */
    public CreateRequest {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(bundle, "bundle");
        if (!bundle.isAbsolute()) {
            throw new IllegalArgumentException("bundle path of task " + task + " must be absolute: " + bundle);
        }
        rootfs = rootfs == null ? List.of() : List.copyOf(rootfs);
        stdio = stdio == null ? Stdio.none() : stdio;
        options = options == null ? RuntimeOptions.defaults() : options;
    }
}
