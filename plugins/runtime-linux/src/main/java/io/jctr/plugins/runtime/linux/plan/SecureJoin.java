package io.jctr.plugins.runtime.linux.plan;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Resolves a path inside a root directory the way the kernel would if the root were {@code /}:
 * each component is looked up in turn, symbolic links are followed relative to the root (an
 * absolute link target restarts at the root), and {@code ..} stops at the root. The result never
 * names anything outside the root, whatever the links in the tree say — the semantics of
 * filepath-securejoin, which runc uses for every mount destination.
 *
 * <p>Missing components are taken literally (they are what {@code mkdir -p} would create). More
 * than {@value #MAX_LINKS} link expansions fail as a loop. A component below an <em>opaque</em>
 * directory — the mount point of an earlier mount, whose contents the tree on disk does not show
 * — is taken literally as well.
 *
 * <p>Like filepath-securejoin, this is a check at one instant: the executor must still resolve
 * the result with {@code openat2(RESOLVE_IN_ROOT)} (or equivalent) when it acts, because the tree
 * may change in between. Stateless and thread-safe.
 */
public final class SecureJoin {

    /** How many symbolic links one resolution may follow (filepath-securejoin's limit). */
    public static final int MAX_LINKS = 255;

    private SecureJoin() {
    }

    /** {@link #resolve(Path, String, Predicate)} with nothing opaque. */
    public static String resolve(Path root, String unsafePath) throws IOException {
        return resolve(root, unsafePath, dir -> false);
    }

    /**
     * Resolves {@code unsafePath} (absolute or not, it is taken relative to the root) inside
     * {@code root}.
     *
     * @param root       the directory acting as {@code /}
     * @param unsafePath the path to resolve
     * @param opaque     whether a resolved directory (an absolute path inside the root, such as
     *                   {@code /dev}) hides its on-disk contents
     * @return the resolved path relative to the root, absolute and clean: {@code /}, {@code /a/b}
     * @throws FileSystemLoopException when more than {@value #MAX_LINKS} links are followed
     * @throws IOException             when a component cannot be inspected
     */
    public static String resolve(Path root, String unsafePath, Predicate<String> opaque)
            throws IOException {
        Deque<String> pending = new ArrayDeque<>(components(unsafePath));
        List<String> resolved = new ArrayList<>();
        boolean literal = false; // set once a component is missing or not a directory
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                literal = false; // back on a path that existed (or was opaque): look again
                continue;
            }
            if (literal || opaque.test(toPath(resolved))) {
                resolved.add(name);
                continue;
            }
            resolved.add(name);
            Path onDisk = root.resolve(toPath(resolved).substring(1));
            BasicFileAttributes attrs = lstat(onDisk);
            if (attrs == null || !(attrs.isDirectory() || attrs.isSymbolicLink())) {
                literal = true;
                continue;
            }
            if (!attrs.isSymbolicLink()) {
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new FileSystemLoopException(root + "/" + unsafePath);
            }
            resolved.remove(resolved.size() - 1);
            String target = Files.readSymbolicLink(onDisk).toString();
            if (target.startsWith("/")) {
                resolved.clear();
            }
            List<String> expansion = components(target);
            for (int i = expansion.size() - 1; i >= 0; i--) {
                pending.addFirst(expansion.get(i));
            }
        }
        return toPath(resolved);
    }

    /** {@code root} joined with {@link #resolve(Path, String)}: a path that stays inside it. */
    public static Path join(Path root, String unsafePath) throws IOException {
        String inside = resolve(root, unsafePath);
        return inside.equals("/") ? root : root.resolve(inside.substring(1));
    }

    /**
     * The lexically clean absolute form of {@code path}, with {@code ..} stopping at {@code /};
     * no file system access.
     */
    public static String clean(String path) {
        List<String> out = new ArrayList<>();
        for (String c : components(path)) {
            if (c.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else {
                out.add(c);
            }
        }
        return toPath(out);
    }

    /** Whether {@code path} is {@code dir} or below it; both absolute and clean. */
    public static boolean isWithin(String path, String dir) {
        return dir.equals("/") || path.equals(dir) || path.startsWith(dir + "/");
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (FileSystemException e) {
            // ENOTDIR: a parent is not a directory, so this component cannot exist either.
            if (e.getReason() != null && e.getReason().contains("Not a directory")) {
                return null;
            }
            throw e;
        }
    }

    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    private static String toPath(List<String> components) {
        return "/" + String.join("/", components);
    }
}
