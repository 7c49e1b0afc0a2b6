package io.jctr.core.diff;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * OCI whiteouts, applied to the mounted snapshot: {@code .wh.<name>} removes {@code <name>} from
 * its directory, {@code .wh..wh..opq} removes every child of its directory that this layer did
 * not create (so the marker may come before or after the layer's own children), and other
 * {@code .wh..wh.} names (AUFS metadata such as {@code .wh..wh.plnk}) are ignored. Through an
 * overlay mount the kernel turns each removal into the upper directory's whiteout.
 */
final class Whiteouts {

    private Whiteouts() {
    }

    /** Applies whiteout {@code base} found in real directory {@code dir} for layer entry {@code entry}. */
    static void apply(LayerTarget target, Path dir, String base, String entry) throws IOException {
        if (base.equals(EntryNames.OPAQUE_WHITEOUT)) {
            hideLower(target, dir);
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
