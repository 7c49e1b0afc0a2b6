package io.jctr.plugins.runtime.linux.launch;

import java.io.IOException;
import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.byref.IntByReference;

/**
 * The launcher's system calls with Java errors: a failure becomes an {@link IOException} naming
 * the call and the errno text. Thread-safe.
 */
final class Posix {

    static final int EINTR = 4;
    static final int ECHILD = 10;
    static final int EAGAIN = 11;
    static final int SIGKILL = 9;
    static final int WNOHANG = 1;

    private static Posix system;

    final LibC libc;
    final jnr.ffi.Runtime runtime;

    private Posix(LibC libc) {
        this.libc = libc;
        this.runtime = jnr.ffi.Runtime.getRuntime(libc);
    }

    /** The real libc, loaded on first use. */
    static synchronized Posix system() {
        if (system == null) {
            system = new Posix(LibraryLoader.create(LibC.class).load("c"));
        }
        return system;
    }

    int errno() {
        return runtime.getLastError();
    }

    IOException failure(String operation) {
        return failure(operation, errno());
    }

    IOException failure(String operation, int errno) {
        return new IOException(operation + ": " + describe(errno));
    }

    String describe(int errno) {
        String text = libc.strerror(errno);
        return text == null ? "errno " + errno : text.toLowerCase(Locale.ROOT);
    }

    /** Whether {@code fd} is open in this process. */
    boolean isOpen(int fd) {
        return libc.fcntl(fd, 1 /* F_GETFD */, 0) >= 0;
    }

    void close(int fd) {
        if (fd >= 0) {
            libc.close(fd);
        }
    }

    /**
     * Waits for the child {@code pid}; its wait status, or -1 when {@code noHang} and it still
     * runs.
     */
    int waitpid(int pid, boolean noHang) throws IOException {
        IntByReference status = new IntByReference();
        while (true) {
            int r = libc.waitpid(pid, status, noHang ? WNOHANG : 0);
            if (r == pid) {
                return status.intValue();
            }
            if (r == 0) {
                return -1;
            }
            int e = errno();
            if (e != EINTR) {
                throw failure("waitpid " + pid, e);
            }
        }
    }

    /** The exit code a shell would report for wait status {@code status}: 128+signal if killed. */
    static int exitCode(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }
}
