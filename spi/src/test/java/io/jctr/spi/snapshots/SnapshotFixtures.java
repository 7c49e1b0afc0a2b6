package io.jctr.spi.snapshots;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * File-tree helpers of {@link SnapshotterContract}: reading a mounted tree into a comparable map,
 * finding mounts under a directory, deleting a test directory without ever walking into a mount.
 */
public final class SnapshotFixtures {

    private SnapshotFixtures() {
    }

    /**
     * The tree under {@code dir}: relative path to content for regular files, to
     * {@code "->target"} for symbolic links, to {@code "/"} for directories.
     */
    public static Map<String, String> readTree(Path dir) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (p.equals(dir)) {
                    continue;
                }
                String rel = dir.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    tree.put(rel, "->" + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    tree.put(rel, "/");
                } else {
                    tree.put(rel, Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }
        return tree;
    }

    /** Writes {@code files} (relative path to content) under {@code dir}, creating parents. */
    public static void writeTree(Path dir, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** The mount points at or under {@code dir} in this process's mount namespace. */
    public static List<String> mountsUnder(Path dir) throws IOException {
        String real = dir.toRealPath().toString();
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            String point = fields.length > 4 ? fields[4].replace("\\040", " ") : "";
            if (point.equals(real) || point.startsWith(real + "/")) {
                found.add(point);
            }
        }
        return found;
    }

    /**
     * Deletes {@code dir} and its content; refuses (with an {@link AssertionError}) while anything
     * is mounted under it, since deleting through a mount would delete another filesystem's files.
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<String> mounts = mountsUnder(dir);
        if (!mounts.isEmpty()) {
            throw new AssertionError("still mounted under " + dir + ": " + mounts);
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (!Files.isWritable(d)) {
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
