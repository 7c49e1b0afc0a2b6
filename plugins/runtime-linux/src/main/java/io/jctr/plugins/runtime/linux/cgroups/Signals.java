package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.spi.JctrException;
import jnr.ffi.LibraryLoader;

/** kill(2) with any signal, which {@link ProcessHandle} cannot send. Thread-safe. */
final class Signals {

    private static final int ESRCH = 3;

    private static LibC libc;
    private static jnr.ffi.Runtime runtime;

    private Signals() {
    }

    private static synchronized LibC libc() {
        if (libc == null) {
            libc = LibraryLoader.create(LibC.class).load("c");
            runtime = jnr.ffi.Runtime.getRuntime(libc);
        }
        return libc;
    }

    /** Sends {@code signal} to {@code pid}; a process that is gone already is not an error. */
    static void send(long pid, int signal) {
        LibC c = libc();
        if (c.kill((int) pid, signal) != 0) {
            int errno = runtime.getLastError();
            if (errno != ESRCH) {
                throw new JctrException(JctrException.Kind.UNKNOWN, String.format(
                        "cgroup: kill(%d, %d): %s", pid, signal, c.strerror(errno)));
            }
        }
    }
}
