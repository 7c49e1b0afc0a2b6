package io.jctr.plugins.runtime.linux.launch;

import java.io.IOException;
import java.nio.file.Path;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * Starts the helper with {@code posix_spawn(3)}. Not {@link ProcessBuilder}: the JDK closes
 * every descriptor above 2 in its children, which would defeat {@code --preserve-fds}, and
 * gives no say over which descriptor the channel lands on. {@code posix_spawn} runs file
 * actions between fork and exec without Java code in the child (glibc uses
 * {@code clone(CLONE_VM | CLONE_VFORK)}, safe from a multi-threaded JVM): open the stdio
 * paths, keep 3..3+N-1, put the channel at 3+N, close everything above
 * ({@code addclosefrom_np}, glibc 2.34). Signal dispositions and the mask are reset, since
 * the JVM's would otherwise leak through to the container (an ignored signal stays ignored
 * across execve). The helper is a child of this JVM, reaped with {@code waitpid} through
 * {@link Posix}.
 */
final class HelperSpawner {

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 01;
    static final int O_CREAT = 0100;
    static final int O_APPEND = 02000;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Larger than glibc's posix_spawn_file_actions_t (80 bytes) and posix_spawnattr_t (336). */
    private static final int OPAQUE_SIZE = 1024;
    private static final int SIGSET_SIZE = 128;

    private HelperSpawner() {
    }

    /** Spawns the helper with the channel's helper end; returns its pid. */
    static int spawn(Posix posix, String executable, int channelFd, LaunchRequest request)
            throws IOException {
        int preserve = request.preserveFds();
        for (int fd = 3; fd < 3 + preserve; fd++) {
            if (!posix.isOpen(fd)) {
                throw new IOException("preserved descriptor " + fd + " is not open");
            }
        }
        int target = 3 + preserve;
        String[] argv = {"jctr-helper", Integer.toString(target)};
        return spawn(posix, executable, argv, "the helper", actions -> {
            LaunchRequest.Stdio stdio = request.stdio();
            open(posix, actions, 0, stdio.in(), O_RDONLY);
            open(posix, actions, 1, stdio.out(), O_WRONLY | O_APPEND | O_CREAT);
            open(posix, actions, 2, stdio.err(), O_WRONLY | O_APPEND | O_CREAT);
            for (int fd = 3; fd < target; fd++) {
                // dup2 onto itself clears close-on-exec (glibc 2.29+, POSIX 2024).
                check(posix, "adddup2", posix.libc.posix_spawn_file_actions_adddup2(actions, fd, fd));
            }
            check(posix, "adddup2", posix.libc.posix_spawn_file_actions_adddup2(actions, channelFd, target));
            return target + 1;
        });
    }

    /** Adds the file actions of one spawn; returns the first descriptor to close from. */
    @FunctionalInterface
    interface FileActions {
        int add(Pointer actions) throws IOException;
    }

    /**
     * Spawns {@code executable} with the file actions {@code files} adds, every descriptor from
     * the one it returns closed, signals reset and an empty environment; returns its pid.
     */
    static int spawn(Posix posix, String executable, String[] argv, String what, FileActions files)
            throws IOException {
        Pointer actions = Memory.allocateDirect(posix.runtime, OPAQUE_SIZE);
        Pointer attr = Memory.allocateDirect(posix.runtime, OPAQUE_SIZE);
        Pointer none = Memory.allocateDirect(posix.runtime, SIGSET_SIZE);
        Pointer all = Memory.allocateDirect(posix.runtime, SIGSET_SIZE);
        LibC libc = posix.libc;
        check(posix, "posix_spawn_file_actions_init", libc.posix_spawn_file_actions_init(actions));
        check(posix, "posix_spawnattr_init", libc.posix_spawnattr_init(attr));
        try {
            int closeFrom = files.add(actions);
            check(posix, "addclosefrom_np", libc.posix_spawn_file_actions_addclosefrom_np(actions, closeFrom));
            libc.sigemptyset(none);
            libc.sigfillset(all);
            check(posix, "setsigmask", libc.posix_spawnattr_setsigmask(attr, none));
            check(posix, "setsigdefault", libc.posix_spawnattr_setsigdefault(attr, all));
            check(posix, "setflags", libc.posix_spawnattr_setflags(attr,
                    (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)));
            IntByReference pid = new IntByReference();
            int err = libc.posix_spawn(pid, executable, actions, attr, argv, new String[0]);
            if (err != 0) {
                throw posix.failure("spawn " + what + " " + executable, err);
            }
            return pid.intValue();
        } finally {
            libc.posix_spawn_file_actions_destroy(actions);
            libc.posix_spawnattr_destroy(attr);
        }
    }

    static void open(Posix posix, Pointer actions, int fd, Path path, int flags)
            throws IOException {
        if (path != null) {
            check(posix, "addopen " + path, posix.libc.posix_spawn_file_actions_addopen(actions, fd,
                    path.toString(), flags, 0644));
        }
    }

    static void check(Posix posix, String what, int err) throws IOException {
        if (err != 0) {
            throw posix.failure(what, err);
        }
    }
}
