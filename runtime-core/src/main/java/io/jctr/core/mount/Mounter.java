package io.jctr.core.mount;

import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Mounts what snapshotters hand out (containerd's {@code mount.All}): each {@link Mount} in
 * order onto one target. Needs root.
 */
public final class Mounter {

    private static final int MNT_DETACH = 2;

    private Mounter() {
    }

    public static void mountAll(List<Mount> mounts, Path target) throws IOException {
        for (Mount m : mounts) {
            mount(m, m.target().isEmpty() ? target : target.resolve(m.target()));
        }
    }

    public static void mount(Mount m, Path target) throws IOException {
        MountOptions o = MountOptions.parse(m.type(), m.options());
        String fsType = m.type().equals("bind") ? "none" : m.type();
        long first = o.remount() ? o.flags() & ~MountOptions.MS_RDONLY : o.flags();
        call(LibMount.Holder.LIBC.mount(m.source(), target.toString(), fsType, first, o.data().isEmpty() ? null : o.data()),
                "mount " + m.type() + " " + m.source() + " on " + target + " (" + String.join(",", m.options()) + ")");
        if (o.remount()) {
            long flags = MountOptions.MS_REMOUNT | MountOptions.MS_BIND | MountOptions.MS_RDONLY | (o.flags() & MountOptions.MS_REC);
            call(LibMount.Holder.LIBC.mount("", target.toString(), null, flags, null), "remount " + target + " read-only");
        }
    }

    /** Unmounts {@code target}; when it is busy, detaches it (it goes once its last user does). */
    public static void unmount(Path target) throws IOException {
        if (LibMount.Holder.LIBC.umount2(target.toString(), 0) != 0) {
            call(LibMount.Holder.LIBC.umount2(target.toString(), MNT_DETACH), "unmount " + target);
        }
    }

    private static void call(int rc, String what) throws IOException {
        if (rc != 0) {
            int errno = LibMount.Holder.RUNTIME.getLastError();
            throw new IOException("cannot " + what + ": " + jnr.constants.platform.Errno.valueOf(errno).description());
        }
    }
}
