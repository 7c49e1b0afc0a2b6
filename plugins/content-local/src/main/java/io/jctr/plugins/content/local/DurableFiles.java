package io.jctr.plugins.content.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;

/**
 * File operations whose outcome is all-or-nothing: a reader sees the old or the new content of a
 * replaced file, never a mix, and a removed directory disappears in one step.
 */
final class DurableFiles {

    private DurableFiles() {
    }

    /**
     * Replaces {@code target} with {@code content} through {@code temp} (a free name on the same
     * file system); with {@code sync} the content and the directory entry are on disk on return.
     */
    static void replace(Path target, byte[] content, Path temp, boolean sync) throws IOException {
        create(temp, content, sync);
        moveInto(temp, target, sync);
    }

    /** Writes a new file; with {@code sync} its content is on disk on return. */
    static void create(Path file, byte[] content, boolean sync) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            if (sync) {
                ch.force(true);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Renames {@code temp} over {@code target} atomically; removes {@code temp} if that fails. */
    static void moveInto(Path temp, Path target, boolean sync) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (sync) {
            syncDirectory(target.getParent());
        }
    }

    /** Makes the entries of {@code dir} (creations, renames, links) durable. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Removes {@code dir} and everything in it: first renames it to {@code trash} so it vanishes
     * at once, then deletes the trash. Does nothing when {@code dir} does not exist.
     */
    static void removeTree(Path dir, Path trash) throws IOException {
        try {
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return;
        }
        deleteTree(trash);
    }

    /**
     * Deletes the children of {@code dir} whose name starts with {@code prefix}, and the others
     * not modified for {@code age}.
     */
    static void deleteChildren(Path dir, String prefix, Duration age) throws IOException {
        Instant cutoff = Instant.now().minus(age);
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                if (child.getFileName().toString().startsWith(prefix) || modifiedBefore(child, cutoff)) {
                    deleteTree(child);
                }
            }
        }
    }

    private static boolean modifiedBefore(Path p, Instant cutoff) throws IOException {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Deletes a tree; another process deleting it at the same time is no error. */
    private static void deleteTree(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
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
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
