package io.jctr.plugins.snapshots.store;

import io.jctr.spi.snapshots.Usage;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * The usage of a directory tree: every distinct inode once (hard links count once), the directory
 * itself included; size is the sum of their apparent sizes ({@code st_size}, as {@code du
 * --apparent-size} counts), not of allocated blocks. Files that vanish during the walk are skipped.
 */
public final class DiskUsage {

    private DiskUsage() {
    }

    static Usage of(Path dir) throws IOException {
        Set<Object> seen = new HashSet<>();
        long[] totals = new long[2];
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                count(attrs);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                count(attrs);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            private void count(BasicFileAttributes attrs) {
                Object inode = attrs.fileKey();
                if (inode == null || seen.add(inode)) {
                    totals[0] += attrs.size();
                    totals[1]++;
                }
            }
        });
        return new Usage(totals[0], totals[1]);
    }
}
