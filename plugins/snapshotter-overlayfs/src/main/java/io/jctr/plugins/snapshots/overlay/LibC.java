package io.jctr.plugins.snapshots.overlay;

/**
 * The libc functions this plugin calls, bound by jnr-ffi. Public only because jnr-ffi implements
 * it in a class loader of its own; not an API. As in C, a call that fails returns -1 and sets
 * errno, which {@link Posix} reads.
 */
public interface LibC {

    /** mount(2). */
    int mount(String source, String target, String type, long flags, String data);

    /** umount2(2). */
    int umount2(String target, int flags);

    /** geteuid(2). */
    int geteuid();

    /** open(2) without a mode: never creates. */
    int open(String path, int flags);

    /** close(2). */
    int close(int fd);

    /** syncfs(2). */
    int syncfs(int fd);

    /** getpagesize(2). */
    int getpagesize();

    /** strerror(3). */
    String strerror(int errnum);
}
