package io.jctr.plugins.snapshots.overlay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntSupplier;
import jnr.ffi.LibraryLoader;

/**
 * The system calls of this plugin with Java errors: a failure becomes an {@link IOException} whose
 * message names the call, the path and the errno text. Tests build one over a stand-in
 * {@link LibC}. Thread-safe.
 */
final class Posix {

    static final int EINVAL = 22;
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_PATH = 010000000;
    private static final int UMOUNT_NOFOLLOW = 8;

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

    int euid() {
        return libc.geteuid();
    }

    int pageSize() {
        return libc.getpagesize();
    }

    void mount(String source, Path target, String type, long flags, String data) throws IOException {
        if (libc.mount(source, target.toString(), type, flags, data) != 0) {
            String what = type != null ? "mount " + type + " on" : source != null ? "bind mount " + source + " on" : "remount";
            throw failure(what, target);
        }
    }

    /** Unmounts the topmost mount at {@code target}; {@code false} when nothing is mounted there. */
    boolean unmount(Path target) throws IOException {
        if (libc.umount2(target.toString(), UMOUNT_NOFOLLOW) == 0) {
            return true;
        }
        int e = errno.getAsInt();
        if (e == EINVAL) {
            return false;
        }
        throw new IOException("unmount " + target + ": " + describe(e));
    }

    /** Flushes the whole filesystem holding {@code path} to disk. */
    void syncfs(Path path) throws IOException {
        int fd = open(path, O_RDONLY);
        try {
            if (libc.syncfs(fd) != 0) {
                throw failure("syncfs", path);
            }
        } finally {
            libc.close(fd);
        }
    }

    /** An {@code O_PATH} descriptor of directory {@code dir}; close it with {@link #close}. */
    int openDirectoryPath(Path dir) throws IOException {
        return open(dir, O_PATH | O_DIRECTORY);
    }

    void close(int fd) {
        libc.close(fd);
    }

    private int open(Path path, int flags) throws IOException {
        int fd = libc.open(path.toString(), flags | O_CLOEXEC);
        if (fd < 0) {
            throw failure("open", path);
        }
        return fd;
    }

    private IOException failure(String operation, Path path) {
        return new IOException(operation + " " + path + ": " + describe(errno.getAsInt()));
    }

    private String describe(int e) {
        String text = libc.strerror(e);
        return text == null ? "errno " + e : text.toLowerCase(Locale.ROOT);
    }
}
