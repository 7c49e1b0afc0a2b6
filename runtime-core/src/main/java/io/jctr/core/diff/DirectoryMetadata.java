package io.jctr.core.diff;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Owner, mode and times of the directories a layer names, applied after its last entry: creating
 * or removing a child changes a directory's mtime, and a read-only mode would stop an unprivileged
 * applier from filling it. Deepest first, so a parent's mode never blocks reaching a child. A
 * directory that a later entry removed or replaced is forgotten, so nothing is ever applied
 * through a symlink that took a directory's place.
 */
final class DirectoryMetadata {

    /** What to apply to one directory; creation already gave it the owner when {@code ownerSet}, the mode when {@code modeSet}. */
    private record Deferred(NodeAttributes attrs, boolean ownerSet, boolean modeSet) {
    }

    private final PathSet<Deferred> pending = new PathSet<>();

    void defer(Path dir, NodeAttributes attrs, boolean ownerSet, boolean modeSet) {
        pending.put(dir, new Deferred(attrs, ownerSet, modeSet));
    }

    /** {@code path} and everything below it is gone. */
    void forget(Path path) {
        pending.forget(path);
    }

    void applyAll(ApplyOptions options) throws IOException {
        List<Map.Entry<String, Deferred>> dirs = new ArrayList<>(pending.entries().entrySet());
        dirs.sort(Comparator.comparingLong((Map.Entry<String, Deferred> e) -> depth(e.getKey())).reversed());
        for (Map.Entry<String, Deferred> e : dirs) {
            Path dir = Path.of(e.getKey());
            BasicFileAttributes node = Lstat.of(dir);
            // Every replacement went through forget(); this is a second line of defence.
            if (node == null || !node.isDirectory()) {
                throw new IOException("directory " + dir + " changed while applying the layer");
            }
            Deferred d = e.getValue();
            if (!d.ownerSet()) {
                d.attrs().applyOwner(dir, options);
            }
            if (!d.modeSet()) {
                d.attrs().applyMode(dir);
            }
            d.attrs().applyTimes(dir);
        }
    }

    private static long depth(String path) {
        return path.chars().filter(c -> c == '/').count();
    }
}
