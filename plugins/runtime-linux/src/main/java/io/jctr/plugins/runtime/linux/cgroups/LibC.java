package io.jctr.plugins.runtime.linux.cgroups;

/**
 * The libc functions of the v1 OOM notification and of bpf(2), bound by jnr-ffi. Public only
 * because jnr-ffi implements it in a class loader of its own; not an API. A failing call returns -1 and sets
 * errno.
 */
public interface LibC {

    /** eventfd(2). */
    int eventfd(int initval, int flags);

    /** open(2) without a mode: never creates. */
    int open(String path, int flags);

    /** close(2). */
    int close(int fd);

    /** read(2). */
    long read(int fd, byte[] buf, long count);

    /** poll(2) over an array of {@code struct pollfd} laid out in {@code fds}. */
    int poll(byte[] fds, long nfds, int timeout);

    /** syscall(2) with bpf(2)'s arguments: command, attribute union, its size. */
    long syscall(long number, long cmd, jnr.ffi.Pointer attr, long size);

    /** strerror(3). */
    String strerror(int errnum);
}
