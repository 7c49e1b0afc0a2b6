package io.jctr.core.diff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Resolves directories inside a root the way a process chrooted there would see them: component
 * by component from the root, never trusting an existing component. A symlink on the way is
 * followed <em>within</em> the root (an absolute target starts again at the root, {@code ..}
 * stops at the root), anything else that is not a directory is an error. The result is a real
 * directory path under the root with no symlink in it, so writing below it cannot leave the root
 * as long as nothing else changes the tree meanwhile.
 *
 * <p>Each real directory found or created on the way is remembered, so later lookups through it
 * cost no syscall. That is sound only because the applier is the tree's single writer during one
 * apply and reports every removal or replacement through {@link #forget(Path)}: a remembered path
 * was a real directory when checked and nothing but the applier could have changed it since. A
 * symlink is never remembered; it is re-read whenever a lookup passes it. Not thread-safe; one per
 * apply.
 */
final class RootedPath {

    /** containerd's (continuity's) limit; Linux allows 40 per lookup. */
    static final int MAX_SYMLINK_HOPS = 255;
    /** Bounds the work one lookup may cost: 255 hops through 4 KiB targets could be half a million lstats. */
    static final int MAX_STEPS = 1 << 16;
    static final String DEFAULT_ACL = "system.posix_acl_default";

    /** What to do where a directory on the way does not exist. */
    @FunctionalInterface
    interface Missing {
        /** Creates directory {@code dir} and returns true, or returns false to stop resolving. */
        boolean create(Path dir) throws IOException;
    }

    private final Path root;
    /**
     * Real directories checked or created by this apply; the value says whether a node created in
     * it may get other than the creator's group or the mode asked for: setgid, a default ACL, or unknown.
     */
    private final PathSet<Boolean> directories = new PathSet<>();

    /** {@code root} must be a real path: absolute, normalised, no symlink in it. */
    RootedPath(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** {@code path} and everything below it was removed or replaced: resolve it afresh next time. */
    void forget(Path path) {
        directories.forget(path);
    }

    /** {@code dir} is now a real directory this apply created or checked; see {@link #createsPlainNodes}. */
    void remember(Path dir, boolean special) {
        directories.put(dir, special);
    }

    /**
     * Whether a node created in {@code dir} now is owned by the creator's euid and egid and gets the
     * mode asked for less the umask: {@code dir} is known, not setgid and has no default ACL.
     */
    boolean createsPlainNodes(Path dir) {
        return Boolean.FALSE.equals(directories.get(dir));
    }

    /**
     * The real directory that {@code components} (already cleaned) name under the root, or
     * {@code null} when one is missing and {@code missing} declines to create it.
     *
     * @throws io.jctr.spi.JctrException INVALID_ARGUMENT naming {@code entry} when a component is
     *     not a directory, symlinks loop, or resolving would cost more than {@link #MAX_STEPS} steps
     */
    Path directory(List<String> components, String entry, Missing missing) throws IOException {
        if (directories.get(root) == null) {
            remember(root, special(root, Lstat.mode(root)));
        }
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
            if (directories.get(next) != null) {
                current = next;
                continue;
            }
            Integer mode = Lstat.mode(next);
            if (mode == null) {
                boolean special = !createsPlainNodes(current);
                if (!missing.create(next)) {
                    return null;
                }
                // mkdir inherits setgid and the default ACL from its parent.
                remember(next, special);
                current = next;
            } else if ((mode & Lstat.S_IFMT) == Lstat.S_IFLNK) {
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
            } else if ((mode & Lstat.S_IFMT) == Lstat.S_IFDIR) {
                remember(next, special(next, mode));
                current = next;
            } else {
                throw EntryNames.invalid(entry, EntryNames.quote(root.relativize(next).toString()) + " is not a directory");
            }
        }
        return current;
    }

    private static boolean special(Path dir, Integer mode) {
        if (mode == null || (mode & Lstat.S_ISGID) != 0) {
            return true;
        }
        if (LibC.libc().lgetxattr(LibC.path(dir), DEFAULT_ACL, null, 0) >= 0) {
            return true;
        }
        int errno = LibC.lastErrno();
        return errno != LibC.ENODATA && errno != LibC.ENOTSUP;
    }
}
