package io.jctr.plugins.runtime.linux.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.byref.IntByReference;

/**
 * Starts a task's shim ({@code src/main/c-shim}) from its sealed copy, as
 * {@link HelperSpawner} starts the helper: {@code posix_spawn} with stdin and stdout on
 * {@code /dev/null}, stderr appended to {@code <dir>/shim.log}, no other descriptor, the
 * signal mask and dispositions reset, an empty environment. The spawned process forks the
 * shim proper into a session of its own and exits once it listens on {@code <dir>/shim.sock},
 * so the shim is never this JVM's child (unless this JVM is a subreaper, see {@link #reap}),
 * and dies with nothing of it. Thread-safe.
 */
public final class ShimProcess {

    private static final Path DEV_NULL = Path.of("/dev/null");

    private ShimProcess() {
    }

    /**
     * Starts the shim of the task whose state directory is {@code dir} and returns once it
     * listens.
     *
     * @throws IOException when it cannot be spawned or fails to start (with its own message)
     */
    public static void start(Path dir) throws IOException {
        Posix posix = Posix.system();
        Path log = dir.resolve("shim.log");
        int pid = HelperSpawner.spawn(posix, HelperBinary.shimPath(), new String[] {"jctr-shim", dir.toString()},
                "the shim of " + dir, actions -> {
                    HelperSpawner.open(posix, actions, 0, DEV_NULL, HelperSpawner.O_RDONLY);
                    HelperSpawner.open(posix, actions, 1, DEV_NULL, HelperSpawner.O_WRONLY);
                    HelperSpawner.open(posix, actions, 2, log, HelperSpawner.O_WRONLY | HelperSpawner.O_APPEND
                            | HelperSpawner.O_CREAT);
                    return 3;
                });
        int status = posix.waitpid(pid, false);
        if (status != 0) {
            String why = Files.exists(log) ? Files.readString(log).strip() : "";
            throw new IOException("the shim in " + dir + " did not start (exit status " + Posix.exitCode(status)
                    + (why.isEmpty() ? ")" : "): " + why));
        }
    }

    /**
     * Reaps {@code pid} if it is an exited child of this JVM; a no-op otherwise. A shim is this
     * JVM's child only when the JVM is a child subreaper (as test JVMs of the launcher are).
     */
    public static void reap(int pid) {
        Posix.system().libc.waitpid(pid, new IntByReference(), Posix.WNOHANG);
    }

    /** Sends SIGKILL to the shim {@code pid} (a shim that could not be reached), and reaps it if it can. */
    public static void kill(int pid) {
        Posix.system().libc.kill(pid, Posix.SIGKILL);
        reap(pid);
    }

}
