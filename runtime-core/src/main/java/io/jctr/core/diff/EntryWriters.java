package io.jctr.core.diff;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
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
    private static final Set<OpenOption> NEW_FILE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

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
        boolean plain = target.createsPlainNodes(path.getParent());
        boolean fresh = create(target, layer, entry, kind, path, linkTarget, attrs);
        target.markCreated(path);
        // A new node in a plain directory already has the creator's owner and the asked mode less the umask.
        boolean ownerSet = fresh && plain && target.createdWithOwner(attrs.uid(), attrs.gid());
        if (kind == EntryKind.DIRECTORY) {
            attrs.applyXattrs(path, target.options());
            if (attrs.xattrs().containsKey(RootedPath.DEFAULT_ACL)) {
                target.rememberDirectory(path, true);
            } else if (fresh) {
                // mkdir inherits setgid and the default ACL; a merged directory keeps what the resolver knows of it.
                target.rememberDirectory(path, !plain);
            }
            boolean modeSet = fresh && plain && attrs.mode() == target.defaultDirectoryMode();
            target.directories().defer(path, attrs, ownerSet, modeSet);
            return;
        }
        boolean modeSet = fresh && plain && kind == EntryKind.FILE && target.createdWithMode(attrs.mode());
        boolean symlink = kind == EntryKind.SYMLINK || kind == EntryKind.HARD_LINK && isSymlink(path);
        attrs.apply(path, target.options(), ownerSet, modeSet, symlink);
    }

    /**
     * Creates the node, first assuming nothing is at {@code path} (the usual case, one syscall);
     * if something is, a directory over a directory is merged, anything else is removed and the
     * node created again. Returns whether a new inode was created (not a merge, not a hard link).
     */
    private static boolean create(LayerTarget target, LayerEntries layer, TarArchiveEntry entry, EntryKind kind, Path path,
            Path linkTarget, NodeAttributes attrs) throws IOException {
        try {
            createNode(layer, entry, kind, path, linkTarget, attrs);
        } catch (FileAlreadyExistsException e) {
            BasicFileAttributes existing = Lstat.of(path);
            if (kind == EntryKind.DIRECTORY && existing != null && existing.isDirectory()) {
                return false;
            }
            // Without the parents, a directory in place of a whiteout must still hide theirs.
            boolean opaque = kind == EntryKind.DIRECTORY && target.options().withoutParents() && existing != null
                    && existing.isOther() && Whiteouts.isOverlayWhiteout(path);
            if (existing != null) {
                target.remove(path);
            }
            createNode(layer, entry, kind, path, linkTarget, attrs);
            if (opaque) {
                Whiteouts.markOpaque(path);
            }
        }
        return kind != EntryKind.HARD_LINK;
    }

    /** @throws FileAlreadyExistsException when anything, even a dangling symlink, is at {@code path} */
    private static void createNode(LayerEntries layer, TarArchiveEntry entry, EntryKind kind, Path path, Path linkTarget,
            NodeAttributes attrs) throws IOException {
        switch (kind) {
            case DIRECTORY -> Files.createDirectory(path);
            case FILE -> {
                FileAttribute<Set<PosixFilePermission>> perms = PosixFilePermissions.asFileAttribute(permissions(attrs.mode()));
                try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(path, NEW_FILE, perms))) {
                    layer.copyEntry(out);
                }
            }
            case SYMLINK -> symlink(entry.getName(), entry.getLinkName(), path);
            case HARD_LINK -> Files.createLink(path, linkTarget);
            case CHAR_DEVICE -> mknod(path, S_IFCHR | attrs.mode(), entry);
            case BLOCK_DEVICE -> mknod(path, S_IFBLK | attrs.mode(), entry);
            case FIFO -> mknod(path, S_IFIFO | attrs.mode(), entry);
        }
    }

    private static boolean isSymlink(Path path) throws IOException {
        BasicFileAttributes node = Lstat.of(path);
        return node != null && node.isSymbolicLink();
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < all.length; i++) {
            // OWNER_READ (0400) first, OTHERS_EXECUTE (0001) last.
            if ((mode & (0400 >> i)) != 0) {
                set.add(all[i]);
            }
        }
        return set;
    }

    /** glibc's makedev(3). */
    static long makedev(long major, long minor) {
        return (major & 0xfffff000L) << 32 | (major & 0xfffL) << 8 | (minor & 0xffffff00L) << 12 | minor & 0xffL;
    }

    private static void mknod(Path path, int mode, TarArchiveEntry entry) throws IOException {
        long dev = makedev(entry.getDevMajor(), entry.getDevMinor());
        checkCreated(LibC.libc().mknod(LibC.path(path), mode, dev), "mknod", path);
    }

    private static void checkCreated(int rc, String call, Path path) throws IOException {
        if (rc != 0 && LibC.lastErrno() == LibC.EEXIST) {
            throw new FileAlreadyExistsException(path.toString());
        }
        LibC.check(rc, call, path);
    }

    /** The target is stored verbatim: a symlink may point anywhere; it is only ever followed inside the root. */
    private static void symlink(String entry, String linkName, Path path) throws IOException {
        if (linkName.indexOf('\0') >= 0) {
            throw EntryNames.invalid(entry, "symlink target contains a NUL byte");
        }
        checkCreated(LibC.libc().symlink(LibC.cString(linkName), LibC.path(path)), "symlink", path);
    }
}
