package io.jctr.core.diff;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** Reads extended attributes in tests, any namespace, without following symlinks. */
public final class Xattrs {

    /** lgetxattr(2); public for jnr-ffi. */
    public interface Native {
        @ssize_t
        long lgetxattr(@In byte[] path, String name, @Out byte[] value, @size_t long size);
    }

    private static final Native LIBC = LibraryLoader.create(Native.class).load("c");

    private Xattrs() {
    }

    /** The value of {@code name} on {@code path} itself; fails when it is not set. */
    static byte[] get(Path path, String name) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long n = LIBC.lgetxattr(LibC.path(path), name, buf, buf.length);
        if (n < 0) {
            throw new IOException("lgetxattr " + name + " on " + path + ": errno " + LibC.lastErrno());
        }
        return Arrays.copyOf(buf, (int) n);
    }

    /** Whether {@code name} is set on {@code path} itself. */
    static boolean has(Path path, String name) {
        return LIBC.lgetxattr(LibC.path(path), name, new byte[0], 0) >= 0;
    }
}
