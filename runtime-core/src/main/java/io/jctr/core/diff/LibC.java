package io.jctr.core.diff;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Arrays;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.In;
import jnr.ffi.types.dev_t;
import jnr.ffi.types.gid_t;
import jnr.ffi.types.mode_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.uid_t;

/**
 * The libc calls layer application needs and {@code java.nio} lacks, through jnr-ffi: device
 * nodes, ownership without following symlinks, the setuid/setgid/sticky bits, extended attributes,
 * verbatim symlink targets and nanosecond times. Paths are NUL-terminated bytes in the JVM's
 * file-name encoding (see {@link #path(Path)}), so they name the same file {@code java.nio} does.
 * Public only because jnr-ffi implements it from another class loader; not an API.
 */
public interface LibC {

    int AT_FDCWD = -100;
    int AT_SYMLINK_NOFOLLOW = 0x100;
    int O_RDONLY = 0;
    int O_NOFOLLOW = 0x20000;
    int O_DIRECTORY = 0x10000;
    int O_CLOEXEC = 0x80000;
    int EPERM = 1;
    int EEXIST = 17;
    int ENODATA = 61;
    int ENOTSUP = 95;

    int mknod(@In byte[] path, @mode_t int mode, @dev_t long dev);

    int lchown(@In byte[] path, @uid_t int uid, @gid_t int gid);

    int chmod(@In byte[] path, @mode_t int mode);

    int symlink(@In byte[] target, @In byte[] linkPath);

    int lsetxattr(@In byte[] path, String name, @In byte[] value, @size_t long size, int flags);

    int utimensat(int dirFd, @In byte[] path, @In long[] times, int flags);

    int open(@In byte[] path, int flags);

    int syncfs(int fd);

    int close(int fd);

    int geteuid();

    int getegid();

    @ssize_t
    long lgetxattr(@In byte[] path, String name, byte[] value, @size_t long size);

    @ssize_t
    long llistxattr(@In byte[] path, byte[] list, @size_t long size);

    String strerror(int errno);

    /** The loaded library, once per JVM. */
    static LibC libc() {
        return Holder.LIBC;
    }

    /** {@code path} as the C string the kernel sees. */
    static byte[] path(Path path) {
        return cString(path.toString());
    }

    /** {@code s} in the file-name encoding, NUL-terminated. */
    static byte[] cString(String s) {
        byte[] bytes = s.getBytes(Holder.FILE_NAMES);
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    /** Throws unless {@code rc} is 0, naming the call and the path. */
    static void check(int rc, String call, Path path) throws IOException {
        if (rc != 0) {
            throw new IOException(call + " " + path + ": " + Holder.LIBC.strerror(lastErrno()));
        }
    }

    /** The errno of the last failed call on this thread. */
    static int lastErrno() {
        return Holder.RUNTIME.getLastError();
    }

    /** Loaded once per JVM. */
    final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
        static final Charset FILE_NAMES = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

        private Holder() {
        }
    }
}
