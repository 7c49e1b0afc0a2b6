package io.jctr.plugins.snapshots.nativefs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import jnr.ffi.LibraryLoader;

/**
 * The system calls of this plugin with Java errors: a failure becomes an {@link IOException} whose
 * message names the call, the path and the errno text. Extended attributes are read and written
 * without following symbolic links. Thread-safe.
 */
final class Posix {

    private static final int ENODATA = 61;
    private static final int ERANGE = 34;
    private static final int EOPNOTSUPP = 95;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;

    private static Posix system;

    private final LibC libc;
    private final IntSupplier errno;

    Posix(LibC libc, IntSupplier errno) {
        this.libc = libc;
        this.errno = errno;
    }

    /** The real libc, loaded on first use. */
    static synchronized Posix system() {
        if (system == null) {
            LibC libc = LibraryLoader.create(LibC.class).load("c");
            jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(libc);
            system = new Posix(libc, runtime::getLastError);
        }
        return system;
    }

    /** Creates a device node, FIFO or socket; {@code mode} includes the file type bits. */
    void mknod(Path path, int mode, long device) throws IOException {
        if (libc.mknod(path.toString(), mode, device) != 0) {
            throw failure("mknod", path);
        }
    }

    /**
     * Sets the permission bits, setuid, setgid and sticky included, of anything but a symbolic
     * link. Unlike the JDK's, this never opens the file, which would block on a FIFO.
     */
    void chmod(Path path, int mode) throws IOException {
        if (libc.chmod(path.toString(), mode) != 0) {
            throw failure("chmod", path);
        }
    }

    /** Sets the access and modification times of {@code path}, of a symbolic link itself. */
    void setTimes(Path path, FileTime accessed, FileTime modified) throws IOException {
        long[] times = {
            accessed.to(TimeUnit.SECONDS), accessed.toInstant().getNano(),
            modified.to(TimeUnit.SECONDS), modified.toInstant().getNano(),
        };
        if (libc.utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW) != 0) {
            throw failure("utimensat", path);
        }
    }

    /** Flushes the whole filesystem holding {@code path} to disk. */
    void syncfs(Path path) throws IOException {
        int fd = libc.open(path.toString(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw failure("open", path);
        }
        try {
            if (libc.syncfs(fd) != 0) {
                throw failure("syncfs", path);
            }
        } finally {
            libc.close(fd);
        }
    }

    /** The names of the extended attributes of {@code path}; none where the filesystem has none. */
    List<String> listXattrs(Path path) throws IOException {
        while (true) {
            long size = libc.llistxattr(path.toString(), null, 0);
            if (size < 0) {
                return noneIfUnsupported(path, "llistxattr");
            }
            byte[] buffer = new byte[(int) size];
            long got = size == 0 ? 0 : libc.llistxattr(path.toString(), buffer, size);
            if (got < 0 && errno.getAsInt() == ERANGE) {
                continue; // an attribute was added between the two calls
            }
            if (got < 0) {
                throw failure("llistxattr", path);
            }
            List<String> names = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < got; i++) {
                if (buffer[i] == 0) {
                    names.add(new String(buffer, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return names;
        }
    }

    /** The value of attribute {@code name} of {@code path}, or {@code null} when it is gone. */
    byte[] getXattr(Path path, String name) throws IOException {
        while (true) {
            long size = libc.lgetxattr(path.toString(), name, null, 0);
            if (size < 0) {
                if (errno.getAsInt() == ENODATA) {
                    return null;
                }
                throw failure("lgetxattr " + name + " of", path);
            }
            byte[] value = new byte[(int) size];
            long got = size == 0 ? 0 : libc.lgetxattr(path.toString(), name, value, size);
            if (got >= 0) {
                return Arrays.copyOf(value, (int) got);
            }
            if (errno.getAsInt() != ERANGE) {
                throw failure("lgetxattr " + name + " of", path);
            }
            // the value grew between the two calls: ask again
        }
    }

    void setXattr(Path path, String name, byte[] value) throws IOException {
        if (libc.lsetxattr(path.toString(), name, value, value.length, 0) != 0) {
            throw failure("lsetxattr " + name + " on", path);
        }
    }

    private List<String> noneIfUnsupported(Path path, String call) throws IOException {
        if (errno.getAsInt() == EOPNOTSUPP) {
            return List.of();
        }
        throw failure(call, path);
    }

    private IOException failure(String operation, Path path) {
        int e = errno.getAsInt();
        String text = libc.strerror(e);
        return new IOException(operation + " " + path + ": " + (text == null ? "errno " + e : text.toLowerCase(Locale.ROOT)));
    }
}
