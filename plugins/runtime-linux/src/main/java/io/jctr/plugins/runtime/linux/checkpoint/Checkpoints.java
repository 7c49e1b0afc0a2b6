package io.jctr.plugins.runtime.linux.checkpoint;

import io.jctr.plugins.runtime.linux.container.ContainerRecord;
import io.jctr.plugins.runtime.linux.container.ContainerStatus;
import io.jctr.plugins.runtime.linux.container.CreateOptions;
import io.jctr.plugins.runtime.linux.container.LinuxContainers;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checkpoint and restore of native containers with CRIU, as runc 1.1's {@code checkpoint} and
 * {@code restore}: the core that {@code jctr-runc} and the native runtime's
 * {@code ContainerRuntime.checkpoint} share.
 *
 * <p>A dump leaves the images and CRIU's log ({@code dump.log}) in the directories it was given:
 * both are created (0700) when missing, and a failed dump leaves them with the log for a human
 * to read. The container must be running or paused. Unless it is asked to leave the container
 * running (or only pre-dumps), a successful dump ends the container: CRIU kills its processes
 * and the container is deleted, as runc deletes it.
 *
 * <p>Where CRIU fails, the {@link IOException} carries CRIU's first error from its log in one
 * line, e.g. {@code criu dump failed: vdso: Unexpected rt vDSO area bounds (log: DIR/dump.log)}
 * — what CRIU 3.17 says on kernels whose vDSO layout it does not know. Thread-safe for
 * different containers.
 */
public final class Checkpoints {

    private Checkpoints() {
    }

    /**
     * Dumps container {@code id} into {@code imageDir}: the call the native runtime makes for
     * the daemon's {@code ContainerRuntime.checkpoint(task, imageDir, exit)}, with
     * {@code leaveRunning = !exit}.
     *
     * @param workDir where CRIU's log goes; {@code null} for {@code imageDir}
     * @throws JctrException {@code NOT_FOUND} for an unknown container; {@code FAILED_PRECONDITION}
     *                       when it is not running or paused, or criu is not installed
     * @throws IOException   when CRIU fails, with its own error text
     */
    public static void dump(LinuxContainers containers, String id, Path imageDir, Path workDir,
            boolean leaveRunning) throws IOException {
        dump(containers, id, CriuOptions.dump(imageDir, workDir, leaveRunning), Criu.system());
    }

    /**
     * Dumps container {@code id} with every option of runc's {@code checkpoint}.
     *
     * @throws JctrException as {@link #dump(LinuxContainers, String, Path, Path, boolean)}, and
     *                       {@code INVALID_ARGUMENT} for a {@code --parent-path} that is not a
     *                       directory
     * @throws IOException   when CRIU fails, with its own error text
     */
    public static void dump(LinuxContainers containers, String id, CriuOptions o, Criu criu) throws IOException {
        ContainerRecord c = containers.record(id);
        ContainerStatus status = containers.status(c);
        if (status != ContainerStatus.RUNNING && status != ContainerStatus.PAUSED) {
            throw JctrException.failedPrecondition("container %s cannot be checkpointed in the %s state",
                    id, status.text());
        }
        prepareDirectories(o);
        RuntimeSpec spec = containers.spec(id);
        List<String> args = new ArrayList<>(CriuArguments.dump(o, spec, c.pid(), Path.of(c.rootfs())));
        Map<String, Path> cgroups = containers.cgroupDirs(id);
        Path freezer = cgroups.getOrDefault("freezer", cgroups.get(""));
        if (freezer != null) {
            // As runc: CRIU stops the processes with the freezer instead of one by one, which
            // also lets it dump a paused container (ptrace cannot seize frozen tasks).
            args.addAll(List.of("--freeze-cgroup", freezer.toString()));
        }
        criu.run(o.preDump() ? "pre-dump" : "dump", args, o.workDir().resolve("dump.log"));
        if (!o.leaveRunning() && !o.preDump()) {
            containers.delete(id, true);
        }
    }

    /**
     * Restores the container checkpointed into {@code o.imageDir()} as {@code create.id()}, from
     * the bundle {@code create.bundle()}, detached: the restored container is running when this
     * returns. Its processes keep the descriptors CRIU restores; a console socket is not
     * supported.
     *
     * @throws JctrException {@code ALREADY_EXISTS} for an id in use; {@code NOT_FOUND} when the
     *                       image directory holds no checkpoint; {@code NOT_IMPLEMENTED} with a
     *                       console socket
     * @throws IOException   when CRIU fails, with its own error text; nothing is left then
     */
    public static ContainerRecord restore(LinuxContainers containers, CreateOptions create, CriuOptions o, Criu criu)
            throws IOException {
        if (create.consoleSocket() != null) {
            throw new JctrException(JctrException.Kind.NOT_IMPLEMENTED,
                    "restore: --console-socket (a terminal for the restored container) is not supported");
        }
        if (!Files.isRegularFile(o.imageDir().resolve("inventory.img"))) {
            throw JctrException.notFound("restore: no checkpoint in %s (inventory.img is missing)", o.imageDir());
        }
        createDirectory(o.workDir());
        return containers.restore(create, (spec, bundle, stateDir, cgroups) -> {
            Path pidFile = stateDir.resolve("criu-restore.pid");
            // CRIU pivots into the root, which must therefore be a mount point (as in runc). Not
            // below the state directory: undoing a failed restore removes that recursively.
            Path root = Files.createTempDirectory("jctr-criu-root-");
            try {
                RootBind.mount(bundle.resolve(spec.root().path()).normalize(), root);
                try {
                    criu.run("restore", CriuArguments.restore(o, spec, root, pidFile, cgroups),
                            o.workDir().resolve("restore.log"));
                } finally {
                    RootBind.unmount(root);
                }
            } finally {
                Files.deleteIfExists(root);
            }
            return Integer.parseInt(Files.readString(pidFile).strip());
        });
    }

    /** The image directory and the work directory, created when missing; the parent checked. */
    private static void prepareDirectories(CriuOptions o) throws IOException {
        createDirectory(o.imageDir());
        createDirectory(o.workDir());
        if (o.parentPath().isEmpty()) {
            return;
        }
        Path parent = o.imageDir().resolve(o.parentPath()).normalize();
        if (!Files.exists(parent)) {
            throw JctrException.invalidArgument("invalid --parent-path: %s: no such file or directory", parent);
        }
        if (!Files.isDirectory(parent)) {
            throw JctrException.invalidArgument("invalid --parent-path: %s: not a directory", parent);
        }
    }

    private static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (NoSuchFileException e) {
            throw JctrException.notFound("cannot create %s: no such file or directory", dir);
        }
    }

    /** The bind mount of a container's rootfs onto itself that CRIU's restore needs. */
    private static final class RootBind {
        static void mount(Path source, Path target) throws IOException {
            run(List.of("mount", "--bind", "--make-private", source.toString(), target.toString()));
        }

        static void unmount(Path target) throws IOException {
            run(List.of("umount", "-l", target.toString()));
        }

        private static void run(List<String> command) throws IOException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            try {
                if (p.waitFor() != 0) {
                    throw new IOException(String.join(" ", command) + ": " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: " + String.join(" ", command), e);
            }
        }
    }
}
