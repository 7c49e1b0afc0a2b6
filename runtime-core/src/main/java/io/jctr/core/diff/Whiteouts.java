package io.jctr.core.diff;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OCI whiteouts, applied to the mounted snapshot: {@code .wh.<name>} removes {@code <name>} from
 * its directory, {@code .wh..wh..opq} removes every child of its directory that this layer did
 * not create (so the marker may come before or after the layer's own children), and other
 * {@code .wh..wh.} names (AUFS metadata such as {@code .wh..wh.plnk}) are ignored. Through an
 * overlay mount the kernel turns each removal into the upper directory's whiteout. Applied without
 * the parents ({@link ApplyOptions#withoutParents()}), the same whiteouts are written the way
 * overlayfs keeps them: a character device 0:0 in place of the name, and
 * {@value #OPAQUE_XATTR}{@code ="y"} on an opaque directory, which then hides the parents'
 * directory whatever order the layer's entries come in.
 */
final class Whiteouts {

    /** overlayfs's mark of an opaque directory (mounted by root, overlayfs uses the trusted namespace). */
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    private Whiteouts() {
    }

    /** Applies whiteout {@code base} found in real directory {@code dir} for layer entry {@code entry}. */
    static void apply(LayerTarget target, Path dir, String base, String entry) throws IOException {
        boolean overlayForm = target.options().withoutParents();
        if (base.equals(EntryNames.OPAQUE_WHITEOUT)) {
            if (overlayForm) {
                markOpaque(dir);
            } else {
                hideLower(target, dir);
            }
            return;
        }
        if (base.startsWith(EntryNames.WHITEOUT_META_PREFIX)) {
            return;
        }
        String name = base.substring(EntryNames.WHITEOUT_PREFIX.length());
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw EntryNames.invalid(entry, "invalid whiteout name");
        }
        Path victim = dir.resolve(name);
        if (Lstat.of(victim) != null) {
            target.remove(victim);
        }
        if (overlayForm) {
            // The parents are not here: record the removal as overlayfs does, for whatever they hold.
            LibC.check(LibC.libc().mknod(LibC.path(victim), Lstat.S_IFCHR, 0), "mknod", victim);
        }
    }

    /** Whether {@code path} is an overlayfs whiteout: a character device 0:0. */
    static boolean isOverlayWhiteout(Path path) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        return ((Integer) a.get("mode") & Lstat.S_IFMT) == Lstat.S_IFCHR && ((Number) a.get("rdev")).longValue() == 0;
    }

    /** Marks {@code dir} as hiding its parents' directory of the same name, as overlayfs does. */
    static void markOpaque(Path dir) throws IOException {
        byte[] yes = {'y'};
        if (LibC.libc().lsetxattr(LibC.path(dir), OPAQUE_XATTR, yes, yes.length, 0) != 0) {
            throw new IOException("lsetxattr " + OPAQUE_XATTR + " on " + dir + ": " + LibC.libc().strerror(LibC.lastErrno()));
        }
    }

    /** Removes what lower layers put under {@code dir}; descends into directories this layer also has. */
    private static void hideLower(LayerTarget target, Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(dir)) {
            list.forEach(children::add);
        }
        for (Path child : children) {
            if (!target.createdByThisLayer(child)) {
                target.remove(child);
                continue;
            }
            BasicFileAttributes node = Lstat.of(child);
            if (node != null && node.isDirectory()) {
                hideLower(target, child);
            }
        }
    }
}
