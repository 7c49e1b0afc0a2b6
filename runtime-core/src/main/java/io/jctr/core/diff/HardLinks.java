package io.jctr.core.diff;

import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Where a hard link entry points. The link name is cleaned lexically and rejected if absolute or
 * climbing above the root; its directory is resolved inside the root like any entry's parent
 * (symlinks followed within the root); its last component is not followed, so a link to a
 * symlink links the symlink itself. The target must exist and must not be a directory.
 */
final class HardLinks {

    private HardLinks() {
    }

    /** The existing node hard link entry {@code entry} names with {@code linkName}. */
    static Path target(LayerTarget target, String entry, String linkName) throws IOException {
        List<String> parts = EntryNames.hardLinkTarget(entry, linkName);
        if (parts.isEmpty()) {
            throw error(entry, linkName, "target is a directory");
        }
        Path dir = target.directory(parts.subList(0, parts.size() - 1), entry, false);
        Path node = dir == null ? null : dir.resolve(parts.get(parts.size() - 1));
        BasicFileAttributes attrs = node == null ? null : Lstat.of(node);
        if (attrs == null) {
            if (target.options().withoutParents()) {
                throw new ParentsNeededException("hard link " + EntryNames.quote(entry) + " -> " + EntryNames.quote(linkName)
                        + ": target not in the layer itself");
            }
            throw error(entry, linkName, "target not found");
        }
        if (attrs.isDirectory()) {
            throw error(entry, linkName, "target is a directory");
        }
        return node;
    }

    private static JctrException error(String entry, String linkName, String problem) {
        return JctrException.invalidArgument("hard link %s -> %s: %s", EntryNames.quote(entry), EntryNames.quote(linkName), problem);
    }
}
