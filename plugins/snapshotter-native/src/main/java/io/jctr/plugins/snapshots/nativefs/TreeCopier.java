package io.jctr.plugins.snapshots.nativefs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * Copies a directory tree as {@code cp -a} does: regular files, directories, symbolic links,
 * device nodes, FIFOs and sockets; owner, group and mode (setuid, setgid and sticky bits
 * included); extended attributes of every namespace the filesystem keeps; access and
 * modification times. Hard links within the tree stay hard links. Symbolic links are copied, never
 * followed. Sparse files are filled.
 */
final class TreeCopier {

    private static final int S_IFMT = 0170000;

    private final Posix posix;

    TreeCopier(Posix posix) {
        this.posix = posix;
    }

    /** Copies {@code source} to {@code target}, which must not exist. */
    void copy(Path source, Path target) throws IOException {
        Map<Object, Path> linked = new HashMap<>();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectory(target.resolve(source.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path to = target.resolve(source.relativize(file));
                Map<String, Object> unix = Files.readAttributes(file, "unix:mode,nlink,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
                boolean shared = (Integer) unix.get("nlink") > 1;
                Path first = shared ? linked.get(attrs.fileKey()) : null;
                if (first != null) {
                    Files.createLink(to, first);
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isRegularFile()) {
                    Files.copy(file, to, LinkOption.NOFOLLOW_LINKS);
                } else if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(to, Files.readSymbolicLink(file));
                } else {
                    int mode = (Integer) unix.get("mode");
                    posix.mknod(to, mode & (S_IFMT | 07777), (Long) unix.get("rdev"));
                }
                copyMetadata(file, to, attrs, unix);
                if (shared) {
                    linked.put(attrs.fileKey(), to);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                // Last, so that creating the entries does not change the times again.
                copyMetadata(dir, target.resolve(source.relativize(dir)),
                        Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS),
                        Files.readAttributes(dir, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * In this order because chown(2) clears the setuid and setgid bits and file capabilities
     * ({@code security.capability}), and every change but the last would touch the times.
     */
    private void copyMetadata(Path from, Path to, BasicFileAttributes attrs, Map<String, Object> owner)
            throws IOException {
        Map<String, Object> current = Files.readAttributes(to, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
        if (!owner.get("uid").equals(current.get("uid"))) {
            Files.setAttribute(to, "unix:uid", owner.get("uid"), LinkOption.NOFOLLOW_LINKS);
        }
        if (!owner.get("gid").equals(current.get("gid"))) {
            Files.setAttribute(to, "unix:gid", owner.get("gid"), LinkOption.NOFOLLOW_LINKS);
        }
        if (!attrs.isSymbolicLink()) {
            posix.chmod(to, (Integer) owner.get("mode") & 07777);
        }
        for (String name : posix.listXattrs(from)) {
            byte[] value = posix.getXattr(from, name);
            if (value != null) {
                posix.setXattr(to, name, value);
            }
        }
        posix.setTimes(to, attrs.lastAccessTime(), attrs.lastModifiedTime());
    }
}
