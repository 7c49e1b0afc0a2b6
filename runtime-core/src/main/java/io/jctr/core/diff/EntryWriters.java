package io.jctr.core.diff;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Creates the node one layer entry describes at a path whose directory is already resolved. What
 * is at the path is removed first (a directory over a directory is merged instead), so nothing is
 * ever written through an existing node: files are opened O_CREAT|O_EXCL|O_NOFOLLOW, and mkdir,
 * symlink, link and mknod never follow their last component.
 */
final class EntryWriters {

    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private EntryWriters() {
    }

    static void write(LayerTarget target, LayerEntries layer, TarArchiveEntry entry, Path path, NodeAttributes attrs) throws IOException {
        String name = entry.getName();
        EntryKind kind = EntryKind.of(entry);
        if (kind.isDevice() && !target.options().privileged()) {
            return;
        }
        // Resolved before anything is removed, so a link cannot point at what this entry replaces.
        Path linkTarget = kind == EntryKind.HARD_LINK ? HardLinks.target(target, name, entry.getLinkName()) : null;
        if (path.equals(linkTarget)) {
            return;
        }
        BasicFileAttributes existing = Lstat.of(path);
        boolean merge = kind == EntryKind.DIRECTORY && existing != null && existing.isDirectory();
        if (existing != null && !merge) {
            target.remove(path);
        }
        switch (kind) {
            case DIRECTORY -> {
                if (!merge) {
                    Files.createDirectory(path);
                }
            }
            case FILE -> {
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    layer.copyEntry(out);
                }
            }
            case SYMLINK -> symlink(name, entry.getLinkName(), path);
            case HARD_LINK -> Files.createLink(path, linkTarget);
            case CHAR_DEVICE -> mknod(path, S_IFCHR | attrs.mode(), entry);
            case BLOCK_DEVICE -> mknod(path, S_IFBLK | attrs.mode(), entry);
            case FIFO -> mknod(path, S_IFIFO | attrs.mode(), entry);
        }
        target.markCreated(path);
        if (kind == EntryKind.DIRECTORY) {
            attrs.applyXattrs(path, Lstat.of(path), target.options());
            target.directories().defer(path, attrs);
        } else {
            attrs.applyAll(path, target.options());
        }
    }

    /** glibc's makedev(3). */
    static long makedev(long major, long minor) {
        return (major & 0xfffff000L) << 32 | (major & 0xfffL) << 8 | (minor & 0xffffff00L) << 12 | minor & 0xffL;
    }

    private static void mknod(Path path, int mode, TarArchiveEntry entry) throws IOException {
        long dev = makedev(entry.getDevMajor(), entry.getDevMinor());
        LibC.check(LibC.libc().mknod(LibC.path(path), mode, dev), "mknod", path);
    }

    /** The target is stored verbatim: a symlink may point anywhere; it is only ever followed inside the root. */
    private static void symlink(String entry, String linkName, Path path) throws IOException {
        if (linkName.indexOf('\0') >= 0) {
            throw EntryNames.invalid(entry, "symlink target contains a NUL byte");
        }
        LibC.check(LibC.libc().symlink(LibC.cString(linkName), LibC.path(path)), "symlink", path);
    }
}
