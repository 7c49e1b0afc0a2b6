package io.jctr.plugins.runtime.linux.task;

import java.io.IOException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/**
 * The system calls of the task runtime, loaded on first use so that a plugin that never
 * creates a task costs no native work. Errors become {@link IOException}s naming the call, its
 * argument and errno's text. Thread-safe.
 */
final class NativeCalls {

    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;
    static final int EINTR = 4;
    static final int ECHILD = 10;
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

    /** Makes this JVM the subreaper of its descendants (see {@link ExitWatcher} for why). */
    void becomeSubreaper() throws IOException {
        if (libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            throw failure("prctl PR_SET_CHILD_SUBREAPER", runtime.getLastError());
        }
    }

    /**
     * Blocks until the child {@code pid} exits, reaps it and returns its exit code (128 + the
     * signal when a signal killed it).
     *
     * @throws NotAChildException when {@code pid} is not a child of this process (ECHILD)
     */
    int waitExit(int pid) throws IOException {
        IntByReference status = new IntByReference();
        while (true) {
            int r = libc.waitpid(pid, status, 0);
            if (r == pid) {
                int s = status.intValue();
                int signal = s & 0x7f;
                return signal == 0 ? (s >> 8) & 0xff : 128 + signal;
            }
            int errno = runtime.getLastError();
            if (errno == ECHILD) {
                throw new NotAChildException("waitpid " + pid + ": not a child of this process");
            }
            if (errno != EINTR) {
                throw failure("waitpid " + pid, errno);
            }
        }
    }

    /**
     * Reaps {@code pid} if it is this process's child and has exited; never blocks.
     *
     * @return whether it was reaped
     */
    boolean reapIfExited(int pid) {
        return libc.waitpid(pid, new IntByReference(), WNOHANG) == pid;
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

    /** waitpid's ECHILD: the process is not (or no longer) this JVM's child. */
    static final class NotAChildException extends IOException {
        NotAChildException(String message) {
            super(message);
        }
    }
}
