package io.jctr.plugins.snapshots.nativefs;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.dev_t;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc functions this plugin calls, bound by jnr-ffi. Public only because jnr-ffi implements
 * it in a class loader of its own; not an API. As in C, a call that fails returns -1 and sets
 * errno, which {@link Posix} reads.
 */
public interface LibC {

    /** mknod(2): devices, FIFOs and sockets, which the JDK cannot create. */
    int mknod(String path, @mode_t int mode, @dev_t long dev);

    /** chmod(2). */
    int chmod(String path, @mode_t int mode);

    /** utimensat(2); {@code times} is two timespecs, access then modification, as four longs. */
    int utimensat(int dirfd, String path, @In long[] times, int flags);

    /** open(2) without a mode: never creates. */
    int open(String path, int flags);

    /** close(2). */
    int close(int fd);

    /** syncfs(2). */
    int syncfs(int fd);

    /** llistxattr(2). */
    @ssize_t long llistxattr(String path, @Out byte[] list, @size_t long size);

    /** lgetxattr(2). */
    @ssize_t long lgetxattr(String path, String name, @Out byte[] value, @size_t long size);

    /** lsetxattr(2). */
    int lsetxattr(String path, String name, @In byte[] value, @size_t long size, int flags);

    /** strerror(3). */
    String strerror(int errnum);
}
