package io.jctr.core.diff;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
        Inheritance inherited = new Inheritance(upper, lower, Set.copyOf(implicit));
        for (String rel : implicit) {
            Path mine = upper.resolve(rel);
            Integer theirs = lowerMode(upper, lower, rel);
            if (theirs == null) {
                if (!holdsMoreThanWhiteouts(mine)) {
                    throw new ParentsNeededException("directory \"" + rel + "\" holds only whiteouts of names the parents do not have");
                }
                inherited.apply(rel, mine);
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

    /**
     * What a directory the applier creates inherits from its parent on a view of the parents,
     * where that parent is setgid or has a default ACL: mkdir gives the new directory the parent's
     * group (and ACL). A directory's state during the apply is the parents' where they have it
     * (overlayfs copies it up; the layer's own metadata for it is applied only at the end), and
     * otherwise what mkdir gave it: an implicit directory is then chmod 0755 (no setgid), a named
     * one keeps what it inherited until the end.
     */
    private static final class Inheritance {
        private final Path upper;
        private final Path lower;
        private final Set<String> implicit;

        Inheritance(Path upper, Path lower, Set<String> implicit) {
            this.upper = upper;
            this.lower = lower;
            this.implicit = implicit;
        }

        /** Gives implicit directory {@code rel}, which the parents lack, what mkdir would have given it there. */
        void apply(String rel, Path mine) throws IOException {
            String parent = parentOf(rel);
            if (defaultAcl(parent)) {
                throw new ParentsNeededException("directory \"" + rel + "\" would inherit a default ACL of the parents");
            }
            if (setgid(parent)) {
                LibC.check(LibC.libc().lchown(LibC.path(mine), -1, gid(parent)), "lchown", mine);
            }
        }

        private boolean setgid(String rel) throws IOException {
            Integer mode = rel.isEmpty() ? Lstat.mode(lower) : lowerMode(upper, lower, rel);
            if (mode != null && (mode & Lstat.S_IFMT) == Lstat.S_IFDIR) {
                return (mode & Lstat.S_ISGID) != 0;
            }
            return !implicit.contains(rel) && setgid(parentOf(rel));
        }

        private int gid(String rel) throws IOException {
            Path theirs = rel.isEmpty() ? lower : lower.resolve(rel);
            Integer mode = rel.isEmpty() ? Lstat.mode(lower) : lowerMode(upper, lower, rel);
            if (mode != null && (mode & Lstat.S_IFMT) == Lstat.S_IFDIR) {
                return (Integer) Files.getAttribute(theirs, "unix:gid", LinkOption.NOFOLLOW_LINKS);
            }
            return setgid(parentOf(rel)) ? gid(parentOf(rel)) : LibC.libc().getegid();
        }

        private boolean defaultAcl(String rel) throws IOException {
            Integer mode = rel.isEmpty() ? Lstat.mode(lower) : lowerMode(upper, lower, rel);
            if (mode != null && (mode & Lstat.S_IFMT) == Lstat.S_IFDIR) {
                return LibC.libc().lgetxattr(LibC.path(rel.isEmpty() ? lower : lower.resolve(rel)), RootedPath.DEFAULT_ACL, null, 0) >= 0;
            }
            return !rel.isEmpty() && defaultAcl(parentOf(rel));
        }

        private static String parentOf(String rel) {
            int slash = rel.lastIndexOf('/');
            return slash < 0 ? "" : rel.substring(0, slash);
        }
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
