package io.jctr.plugins.runtime.linux.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * Starts a task's shim ({@code src/main/c-shim}) from its sealed copy, the way
 * {@link HelperSpawner} starts the helper: {@code posix_spawn} with stdin and stdout on
 * {@code /dev/null}, stderr appended to {@code <dir>/shim.log}, no other descriptor, the
 * signal mask and dispositions reset, an empty environment. The spawned process forks the
 * shim proper into a session of its own and exits once it listens on {@code <dir>/shim.sock},
 * so the shim is never this JVM's child (unless this JVM is a subreaper, see {@link #reap}),
 * and dies with nothing of it. Thread-safe.
 */
public final class ShimProcess {

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final int OPAQUE_SIZE = 1024;
    private static final int SIGSET_SIZE = 128;

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
        String executable = HelperBinary.shimPath();
        Path log = dir.resolve("shim.log");
        Pointer actions = Memory.allocateDirect(posix.runtime, OPAQUE_SIZE);
        Pointer attr = Memory.allocateDirect(posix.runtime, OPAQUE_SIZE);
        Pointer none = Memory.allocateDirect(posix.runtime, SIGSET_SIZE);
        Pointer all = Memory.allocateDirect(posix.runtime, SIGSET_SIZE);
        LibC libc = posix.libc;
        check(posix, "posix_spawn_file_actions_init", libc.posix_spawn_file_actions_init(actions));
        check(posix, "posix_spawnattr_init", libc.posix_spawnattr_init(attr));
        int pid;
        try {
            check(posix, "addopen", libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", O_RDONLY, 0));
            check(posix, "addopen", libc.posix_spawn_file_actions_addopen(actions, 1, "/dev/null", O_WRONLY, 0));
            check(posix, "addopen " + log, libc.posix_spawn_file_actions_addopen(actions, 2, log.toString(),
                    O_WRONLY | O_APPEND | O_CREAT, 0600));
            check(posix, "addclosefrom_np", libc.posix_spawn_file_actions_addclosefrom_np(actions, 3));
            libc.sigemptyset(none);
            libc.sigfillset(all);
            check(posix, "setsigmask", libc.posix_spawnattr_setsigmask(attr, none));
            check(posix, "setsigdefault", libc.posix_spawnattr_setsigdefault(attr, all));
            check(posix, "setflags", libc.posix_spawnattr_setflags(attr,
                    (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));
            IntByReference ref = new IntByReference();
            String[] argv = {"jctr-shim", dir.toString()};
            int err = libc.posix_spawn(ref, executable, actions, attr, argv, new String[0]);
            if (err != 0) {
                throw posix.failure("spawn the shim in " + dir, err);
            }
            pid = ref.intValue();
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
            libc.posix_spawnattr_destroy(attr);
        }
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

    private static void check(Posix posix, String what, int err) throws IOException {
        if (err != 0) {
            throw posix.failure(what, err);
        }
    }
}
