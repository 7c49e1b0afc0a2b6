package io.jctr.plugins.runtime.linux.container;

/**
 * The libc functions the container lifecycle calls, bound by jnr-ffi. Public only because
 * jnr-ffi implements it in a class loader of its own; not an API. A failing call returns -1 and
 * sets errno, which {@link Syscalls} reads.
 */
public interface LibC {

    /** kill(2). */
    int kill(int pid, int signal);

    /** mkfifo(3). */
    int mkfifo(String path, int mode);

    /** open(2) without a mode: never creates. */
    int open(String path, int flags);

    /** read(2). */
    long read(int fd, byte[] buffer, long count);

    /** close(2). */
    int close(int fd);

    /** poll(2) on one {@code struct pollfd} laid out in {@code pollfd} (8 bytes). */
    int poll(byte[] pollfd, long nfds, int timeoutMillis);

    /** strerror(3). */
    String strerror(int errnum);
}
