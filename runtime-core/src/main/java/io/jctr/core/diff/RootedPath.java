package io.jctr.core.diff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Resolves directories inside a root the way a process chrooted there would see them: component
 * by component from the root, never trusting an existing component. A symlink on the way is
 * followed <em>within</em> the root (an absolute target starts again at the root, {@code ..}
 * stops at the root), anything else that is not a directory is an error. The result is a real
 * directory path under the root with no symlink in it, so writing below it cannot leave the root
 * as long as nothing else changes the tree meanwhile (the applier is the tree's only writer).
 */
final class RootedPath {

    /** containerd's (continuity's) limit; Linux allows 40 per lookup. */
    static final int MAX_SYMLINK_HOPS = 255;
    /** Bounds the work one lookup may cost: 255 hops through 4 KiB targets could be half a million lstats. */
    static final int MAX_STEPS = 1 << 16;

    /** What to do where a directory on the way does not exist. */
    @FunctionalInterface
    interface Missing {
        /** Creates directory {@code dir} and returns true, or returns false to stop resolving. */
        boolean create(Path dir) throws IOException;
    }

    private final Path root;

    /** {@code root} must be a real path: absolute, normalised, no symlink in it. */
    RootedPath(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * The real directory that {@code components} (already cleaned) name under the root, or
     * {@code null} when one is missing and {@code missing} declines to create it.
     *
     * @throws io.jctr.spi.JctrException INVALID_ARGUMENT naming {@code entry} when a component is
     *     not a directory, symlinks loop, or resolving would cost more than {@link #MAX_STEPS} steps
     */
    Path directory(List<String> components, String entry, Missing missing) throws IOException {
        Deque<String> todo = new ArrayDeque<>(components);
        Path current = root;
        int hops = 0;
        for (int steps = 0; !todo.isEmpty(); steps++) {
            if (steps > MAX_STEPS) {
                throw EntryNames.invalid(entry, "path resolution takes more than " + MAX_STEPS + " steps");
            }
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                current = current.equals(root) ? root : current.getParent();
                continue;
            }
            Path next = current.resolve(c);
            BasicFileAttributes attrs = Lstat.of(next);
            if (attrs == null) {
                if (!missing.create(next)) {
                    return null;
                }
                current = next;
            } else if (attrs.isSymbolicLink()) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw EntryNames.invalid(entry, "too many levels of symbolic links");
                }
                String target = Files.readSymbolicLink(next).toString();
                if (target.startsWith("/")) {
                    current = root;
                }
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
            } else if (attrs.isDirectory()) {
                current = next;
            } else {
                throw EntryNames.invalid(entry, EntryNames.quote(root.relativize(next).toString()) + " is not a directory");
            }
        }
        return current;
    }
}
