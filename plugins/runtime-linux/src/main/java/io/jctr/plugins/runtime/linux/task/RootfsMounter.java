package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.plan.MountFlags;
import io.jctr.plugins.runtime.linux.plan.MountOptions;
import io.jctr.spi.JctrException;
import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Performs a snapshotter's mounts onto a task's {@code <bundle>/rootfs}, in order, and undoes
 * them. Overlay mounts whose options exceed a page are the snapshotter's to shorten (containerd's
 * snapshotters do, with relative lower directories); they are passed through as given.
 */
final class RootfsMounter {

    private RootfsMounter() {
    }

    /**
     * Mounts {@code mounts} onto {@code root}; returns how many were performed. On failure the
     * ones performed are undone before the exception propagates.
     *
     * @throws JctrException {@code INVALID_ARGUMENT} for a target that leaves {@code root}
     */
    static int mount(List<Mount> mounts, Path root) throws IOException {
        NativeCalls sys = NativeCalls.system();
        int done = 0;
        try {
            for (Mount m : mounts) {
                mountOne(sys, m, target(root, m.target()));
                done++;
            }
            return done;
        } catch (IOException | RuntimeException e) {
            unmount(root, targets(mounts.subList(0, done)), e);
            throw e;
        }
    }

    private static void mountOne(NativeCalls sys, Mount m, Path target) throws IOException {
        MountOptions.Parsed p = MountOptions.parse(m.options());
        String data = p.data().isEmpty() ? null : p.data();
        boolean bind = (p.flags() & MountFlags.MS_BIND) != 0 || m.type().equals("bind");
        long flags = p.flags() | (bind ? MountFlags.MS_BIND : 0);
        sys.mount(m.source(), target.toString(), m.type(), flags, data);
        if (bind && (flags & MountFlags.MS_RDONLY) != 0) {
            // The kernel ignores MS_RDONLY when it creates a bind mount: remount to apply it.
            sys.mount("", target.toString(), null, flags | MountFlags.MS_REMOUNT, null);
        }
        for (long propagation : p.propagation()) {
            sys.mount("", target.toString(), null, propagation, null);
        }
    }

    /**
     * The targets of {@code mounts}, relative to the root, as {@link #unmount} takes them.
     */
    static List<String> targets(List<Mount> mounts) {
        return mounts.stream().map(Mount::target).toList();
    }

    /**
     * Undoes the mounts at {@code targets} (relative to {@code root}, in the order they were
     * performed) in reverse order; a busy mount is detached. Failures are added to
     * {@code cause} when there is one, else thrown.
     */
    static void unmount(Path root, List<String> targets, Exception cause) throws IOException {
        if (targets.isEmpty()) {
            return;
        }
        NativeCalls sys = NativeCalls.system();
        IOException failure = null;
        for (int i = targets.size() - 1; i >= 0; i--) {
            String target = target(root, targets.get(i)).toString();
            int errno = sys.umount(target, 0);
            if (errno == NativeCalls.EBUSY) {
                errno = sys.umount(target, NativeCalls.MNT_DETACH);
            }
            if (errno != 0 && errno != NativeCalls.EINVAL) {
                IOException e = sys.failure("umount " + target, errno);
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            if (cause == null) {
                throw failure;
            }
            cause.addSuppressed(failure);
        }
    }

    private static Path target(Path root, String relative) {
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root)) {
            throw JctrException.invalidArgument("mount target %s leaves the root file system %s", relative, root);
        }
        return target;
    }
}
