package io.jctr.core.diff;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The metadata a layer entry gives the node it creates, and how it is applied: owner first (chown
 * clears setuid/setgid and {@code security.capability}), then extended attributes, then the mode
 * including setuid/setgid/sticky, then access and modification times, as containerd does. Nothing
 * here follows a symlink: lchown, lsetxattr, utimensat(AT_SYMLINK_NOFOLLOW), and chmod is skipped
 * for symlinks (Linux symlinks have no mode of their own).
 */
record NodeAttributes(long uid, long gid, int mode, FileTime atime, FileTime mtime, Map<String, byte[]> xattrs) {

    /** From {@code entry}; the access time is the later of atime and mtime, as containerd sets it. */
    static NodeAttributes of(TarArchiveEntry entry, Map<String, byte[]> xattrs) {
        FileTime mtime = entry.getLastModifiedTime();
        FileTime atime = entry.getLastAccessTime();
        if (atime == null || atime.compareTo(mtime) < 0) {
            atime = mtime;
        }
        return new NodeAttributes(entry.getLongUserId(), entry.getLongGroupId(), entry.getMode() & 07777, atime, mtime, xattrs);
    }

    /**
     * Everything, in order, to the node just written at {@code path}, except what its creation
     * already gave it: the owner when {@code ownerSet}, the mode when {@code modeSet}.
     */
    void apply(Path path, ApplyOptions options, boolean ownerSet, boolean modeSet, boolean symlink) throws IOException {
        if (!ownerSet) {
            applyOwner(path, options);
        }
        applyXattrs(path, options);
        if (!modeSet && !symlink) {
            applyMode(path);
        }
        applyTimes(path);
    }

    void applyOwner(Path path, ApplyOptions options) throws IOException {
        if (options.privileged()) {
            LibC.check(LibC.libc().lchown(LibC.path(path), (int) uid, (int) gid), "lchown", path);
        }
    }

    /** Sets each xattr; failures that containerd tolerates are skipped. */
    void applyXattrs(Path path, ApplyOptions options) throws IOException {
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            byte[] value = x.getValue();
            if (LibC.libc().lsetxattr(LibC.path(path), x.getKey(), value, value.length, 0) != 0) {
                int errno = LibC.lastErrno();
                if (!tolerated(x.getKey(), errno, path, options)) {
                    throw new IOException("lsetxattr " + x.getKey() + " on " + path + ": " + LibC.libc().strerror(errno));
                }
            }
        }
    }

    /** chmod(2), which follows symlinks: never call it for one. */
    void applyMode(Path path) throws IOException {
        LibC.check(LibC.libc().chmod(LibC.path(path), mode), "chmod", path);
    }

    void applyTimes(Path path) throws IOException {
        Instant a = atime.toInstant();
        Instant m = mtime.toInstant();
        long[] times = {a.getEpochSecond(), a.getNano(), m.getEpochSecond(), m.getNano()};
        LibC.check(LibC.libc().utimensat(LibC.AT_FDCWD, LibC.path(path), times, LibC.AT_SYMLINK_NOFOLLOW), "utimensat", path);
    }

    /**
     * containerd skips unsupported xattrs; trusted.* and security.selinux are host policy (and an
     * overlay mount refuses trusted.overlay.*); user.* exists only on files and directories; and
     * without privilege security.* cannot be set at all.
     */
    private static boolean tolerated(String key, int errno, Path path, ApplyOptions options) throws IOException {
        if (errno == LibC.ENOTSUP || key.startsWith("trusted.") || key.equals("security.selinux")) {
            return true;
        }
        if (errno != LibC.EPERM) {
            return false;
        }
        if (!options.privileged()) {
            return true;
        }
        BasicFileAttributes node = Lstat.of(path);
        return key.startsWith("user.") && node != null && !node.isRegularFile() && !node.isDirectory();
    }
}
