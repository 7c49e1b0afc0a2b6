package io.jctr.core.diff;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The mounted snapshot one layer is being applied to: safe resolution inside it, what this layer
 * created (opaque whiteouts spare those), the deferred directory metadata, and the single place
 * that removes nodes so both stay true. Not thread-safe; one per {@link LayerApplier#apply} call.
 */
final class LayerTarget {

    private static final int IMPLICIT_DIRECTORY_MODE = 0755;

    private final RootedPath resolver;
    private final ApplyOptions options;
    /**
     * What this layer created: {@code true} for what its entries name, {@code false} for a
     * directory made only because entries lay below it, when applying without parents (the
     * parents' directory, see {@link #implicitDirectories}).
     */
    private final PathSet<Boolean> created = new PathSet<>();
    private final DirectoryMetadata directories = new DirectoryMetadata();
    private final int umask = Umask.current();
    private final long euid = LibC.libc().geteuid();
    private final long egid = LibC.libc().getegid();

    LayerTarget(Path realRoot, ApplyOptions options) {
        this.resolver = new RootedPath(realRoot);
        this.options = options;
    }

    /** {@code dir}, just created or merged by a directory entry, is a real directory; see {@link RootedPath#remember}. */
    void rememberDirectory(Path dir, boolean special) {
        resolver.remember(dir, special);
    }

    /** See {@link RootedPath#createsPlainNodes}. */
    boolean createsPlainNodes(Path dir) {
        return resolver.createsPlainNodes(dir);
    }

    /** Whether a node this process creates already has owner {@code uid}:{@code gid} in a plain directory. */
    boolean createdWithOwner(long uid, long gid) {
        return uid == euid && gid == egid;
    }

    /** Whether a node created with permission bits {@code perms} in a plain directory gets exactly them. */
    boolean createdWithMode(int perms) {
        return umask >= 0 && (perms & ~0777) == 0 && (perms & umask) == 0;
    }

    /** The permission bits {@code mkdir(path, 0777)} gives in a plain directory, or -1 when unknown. */
    int defaultDirectoryMode() {
        return umask < 0 ? -1 : 0777 & ~umask;
    }

    ApplyOptions options() {
        return options;
    }

    DirectoryMetadata directories() {
        return directories;
    }

    /**
     * The real directory {@code components} name, see {@link RootedPath}; missing directories are
     * created (mode 0755, as containerd does) when {@code create}, otherwise the result is null.
     */
    Path directory(List<String> components, String entry, boolean create) throws IOException {
        return resolver.directory(components, entry, create ? this::createImplicitDirectory : dir -> false);
    }

    /** An entry of the layer names {@code path}: whatever is there now is the layer's own. */
    void markCreated(Path path) {
        created.put(path, Boolean.TRUE);
    }

    /** The directories created only because entries lay below them, relative to the root, parents first. */
    List<String> implicitDirectories() {
        Path root = resolver.root();
        return created.entries().entrySet().stream().filter(e -> !e.getValue())
                .map(e -> root.relativize(Path.of(e.getKey())).toString()).toList();
    }

    boolean createdByThisLayer(Path path) {
        return created.contains(path);
    }

    /** Removes {@code path} and, for a directory, everything below it; symlinks are removed, never followed. */
    void remove(Path path) throws IOException {
        resolver.forget(path);
        created.forget(path);
        directories.forget(path);
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private boolean createImplicitDirectory(Path dir) throws IOException {
        Files.createDirectory(dir);
        LibC.check(LibC.libc().chmod(LibC.path(dir), IMPLICIT_DIRECTORY_MODE), "chmod", dir);
        // Without parents the layer did not name it: the parents' own directory, adopted later.
        created.put(dir, !options.withoutParents());
        return true;
    }
}
