package io.jctr.plugins.runtime.linux.task;

import java.io.IOException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;

/**
 * The system calls of the task runtime itself (the root file-system mounts), loaded on first
 * use so that a plugin that never creates a task costs no native work. Errors become
 * {@link IOException}s naming the call, its argument and errno's text. Thread-safe.
 */
final class NativeCalls {

    static final int EBUSY = 16;
    static final int EINVAL = 22;
    static final int MNT_DETACH = 2;

    private static NativeCalls system;

    private final TaskLibC libc;
    private final Runtime runtime;

    private NativeCalls(TaskLibC libc) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
    }

    static synchronized NativeCalls system() {
        if (system == null) {
            system = new NativeCalls(LibraryLoader.create(TaskLibC.class)
                    .load(Platform.getNativePlatform().getStandardCLibraryName()));
        }
        return system;
    }

    void mount(String source, String target, String type, long flags, String data) throws IOException {
        if (libc.mount(source, target, type, flags, data) != 0) {
            throw failure("mount " + type + " " + source + " on " + target, runtime.getLastError());
        }
    }

    /** Unmounts {@code target}; the errno of a failure, 0 on success. */
    int umount(String target, int flags) {
        return libc.umount2(target, flags) == 0 ? 0 : runtime.getLastError();
    }

    IOException failure(String call, int errno) {
        return new IOException(call + ": " + libc.strerror(errno));
    }
}
