package io.jctr.plugins.snapshots.nativefs;

import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import jnr.ffi.LibraryLoader;

/**
 * Performs the bind mounts {@link NativeSnapshotter} returns, as a runtime would: a recursive bind,
 * then a read-only remount for {@code ro} (the kernel ignores read-only on the binding call).
 */
final class BindMounts {

    /** The mount calls the tests need, bound by jnr-ffi (which needs the interface public). */
    public interface Calls {
        /** mount(2). */
        int mount(String source, String target, String type, long flags, String data);

        /** umount2(2). */
        int umount2(String target, int flags);
    }

    private static final long MS_RDONLY = 1;
    private static final long MS_REMOUNT = 32;
    private static final long MS_BIND = 4096;
    private static final long MS_REC = 16384;
    private static final int UMOUNT_NOFOLLOW = 8;
    private static final int EINVAL = 22;

    private static final Calls CALLS = LibraryLoader.create(Calls.class).load("c");

    private BindMounts() {
    }

    static void mount(List<Mount> mounts, Path target) throws IOException {
        for (Mount m : mounts) {
            if (!m.type().equals("bind") || !m.target().isEmpty() || !m.options().contains("rbind")) {
                throw new IOException("unexpected mount from the native snapshotter: " + m);
            }
            check(CALLS.mount(m.source(), target.toString(), null, MS_BIND | MS_REC, null), "bind " + m.source() + " on " + target);
            if (m.options().contains("ro")) {
                check(CALLS.mount(null, target.toString(), null, MS_REMOUNT | MS_BIND | MS_RDONLY, null), "remount read-only " + target);
            }
        }
    }

    static void unmount(Path target) throws IOException {
        while (CALLS.umount2(target.toString(), UMOUNT_NOFOLLOW) == 0) {
            // each round removes the topmost mount
        }
        int errno = errno();
        if (errno != EINVAL) {
            throw new IOException("unmount " + target + ": errno " + errno);
        }
    }

    private static void check(int rc, String what) throws IOException {
        if (rc != 0) {
            throw new IOException(what + ": errno " + errno());
        }
    }

    private static int errno() {
        return jnr.ffi.Runtime.getRuntime(CALLS).getLastError();
    }
}
