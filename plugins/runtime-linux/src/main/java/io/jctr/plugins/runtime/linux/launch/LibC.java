package io.jctr.plugins.runtime.linux.launch;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.byref.IntByReference;

/**
 * The libc functions the launcher calls, bound by jnr-ffi. Public only because jnr-ffi
 * implements it in a class loader of its own; not an API. As in C, a call that fails returns
 * -1 and sets errno ({@code posix_spawn*} return the error number instead), which
 * {@link Posix} reads.
 */
public interface LibC {

    int socketpair(int domain, int type, int protocol, @Out int[] fds);

    long read(int fd, @Out byte[] buf, long count);

    long send(int fd, @In byte[] buf, long count, int flags);

    int close(int fd);

    int fcntl(int fd, int cmd, int arg);

    int memfd_create(String name, int flags);

    long write(int fd, @In byte[] buf, long count);

    int getpid();

    int kill(int pid, int signal);

    int waitpid(int pid, IntByReference status, int options);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    int mkfifo(String path, int mode);

    /** open(2) without a mode: never creates. */
    int open(String path, int flags);

    /** poll(2) on {@code nfds} {@code struct pollfd}s laid out in {@code pollfds} (8 bytes each). */
    int poll(@In @Out byte[] pollfds, long nfds, int timeoutMillis);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int flags, int mode);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_destroy(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer set);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);

    int posix_spawn(IntByReference pid, String path, Pointer actions, Pointer attr, String[] argv,
            String[] envp);

    String strerror(int errnum);
}
