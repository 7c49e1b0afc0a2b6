package io.jctr.core.diff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reconciles a layer applied without its parents ({@link ApplyOptions#withoutParents()}) with
 * them, once they are committed, so that stacking it gives what applying it on a view of them
 * would have given. Only the directories the applier had to create matter
 * ({@link AppliedLayer#implicitDirectories()}): on a view of the parents, creating an entry inside
 * a directory they hold keeps that directory's owner, mode and xattrs (overlayfs copies it up), so
 * the same is given to the layer's own directory. Where the parents hold something else at such a
 * path (a symlink the entry would have been resolved through, a file), or nothing at a directory
 * that holds only whiteouts, the layer cannot be stacked as applied:
 * {@link ParentsNeededException}, and the caller applies it on a view of the parents instead.
 */
final class LowerDirectories {

    private LowerDirectories() {
    }

    /**
     * @param upper the layer's own directory (as applied)
     * @param lower a mounted view of the parents
     * @param implicit the layer's implicit directories, relative, parents first
     */
    static void adopt(Path upper, Path lower, List<String> implicit) throws IOException {
        for (String rel : implicit) {
            Path mine = upper.resolve(rel);
            Integer theirs = lowerMode(upper, lower, rel);
            if (theirs == null) {
                if (!holdsMoreThanWhiteouts(mine)) {
                    throw new ParentsNeededException("directory \"" + rel + "\" holds only whiteouts of names the parents do not have");
                }
                continue;
            }
            if ((theirs & Lstat.S_IFMT) != Lstat.S_IFDIR) {
                throw new ParentsNeededException("\"" + rel + "\" is not a directory in the parents (entries below it resolve through it)");
            }
            Path from = lower.resolve(rel);
            LibC.check(LibC.libc().lchown(LibC.path(mine), (Integer) Files.getAttribute(from, "unix:uid", LinkOption.NOFOLLOW_LINKS),
                    (Integer) Files.getAttribute(from, "unix:gid", LinkOption.NOFOLLOW_LINKS)), "lchown", mine);
            copyXattrs(from, mine);
            LibC.check(LibC.libc().chmod(LibC.path(mine), theirs & 07777), "chmod", mine);
        }
    }

    /**
     * The mode the parents' view has at {@code rel}, resolved component by component without
     * following anything; null when it is not there, or hidden from the layer: below an opaque
     * directory of the layer, or below a non-directory of the parents that the layer replaced by a
     * directory of its own.
     */
    private static Integer lowerMode(Path upper, Path lower, String rel) throws IOException {
        String[] parts = rel.split("/");
        Path at = lower;
        for (int i = 0; i < parts.length; i++) {
            at = at.resolve(parts[i]);
            Integer mode = Lstat.mode(at);
            if (i == parts.length - 1 || mode == null) {
                return mode;
            }
            Path mine = upper.resolve(String.join("/", List.of(parts).subList(0, i + 1)));
            if ((mode & Lstat.S_IFMT) != Lstat.S_IFDIR || opaque(mine)) {
                return null;
            }
        }
        return null;
    }

    private static boolean opaque(Path dir) {
        byte[] value = new byte[1];
        return LibC.libc().lgetxattr(LibC.path(dir), Whiteouts.OPAQUE_XATTR, value, 1) == 1 && value[0] == 'y';
    }

    private static boolean holdsMoreThanWhiteouts(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Integer mode = Lstat.mode(p);
                if (mode != null && (mode & Lstat.S_IFMT) != Lstat.S_IFDIR && !Whiteouts.isOverlayWhiteout(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** What overlayfs's copy-up would carry over; trusted.* (overlayfs's own) and SELinux labels are host policy. */
    private static void copyXattrs(Path from, Path to) throws IOException {
        for (String name : xattrNames(from)) {
            if (name.startsWith("trusted.") || name.equals("security.selinux")) {
                continue;
            }
            long size = LibC.libc().lgetxattr(LibC.path(from), name, null, 0);
            if (size < 0) {
                continue; // removed meanwhile or not readable: as if absent
            }
            byte[] value = new byte[(int) size];
            long n = LibC.libc().lgetxattr(LibC.path(from), name, value, value.length);
            if (n >= 0 && LibC.libc().lsetxattr(LibC.path(to), name, value, n, 0) != 0) {
                throw new IOException("lsetxattr " + name + " on " + to + ": " + LibC.libc().strerror(LibC.lastErrno()));
            }
        }
    }

    private static List<String> xattrNames(Path path) throws IOException {
        long size = LibC.libc().llistxattr(LibC.path(path), null, 0);
        if (size <= 0) {
            return List.of();
        }
        byte[] list = new byte[(int) size];
        long n = LibC.libc().llistxattr(LibC.path(path), list, list.length);
        if (n < 0) {
            throw new IOException("llistxattr " + path + ": " + LibC.libc().strerror(LibC.lastErrno()));
        }
        List<String> names = new ArrayList<>();
        for (int start = 0, i = 0; i < n; i++) {
            if (list[i] == 0) {
                names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return names;
    }
}
