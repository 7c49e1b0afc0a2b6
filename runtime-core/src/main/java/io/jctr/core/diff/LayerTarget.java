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
    private final PathSet<Boolean> created = new PathSet<>();
    private final DirectoryMetadata directories = new DirectoryMetadata();

    LayerTarget(Path realRoot, ApplyOptions options) {
        this.resolver = new RootedPath(realRoot);
        this.options = options;
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

    void markCreated(Path path) {
        created.put(path, Boolean.TRUE);
    }

    boolean createdByThisLayer(Path path) {
        return created.contains(path);
    }

    /** Removes {@code path} and, for a directory, everything below it; symlinks are removed, never followed. */
    void remove(Path path) throws IOException {
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
        markCreated(dir);
        return true;
    }
}
