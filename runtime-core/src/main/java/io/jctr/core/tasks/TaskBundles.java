package io.jctr.core.tasks;

import io.jctr.spi.runtime.TaskRef;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The OCI bundles of tasks: {@code <dir>/<namespace>/<id>/config.json} holding the container's
 * spec as stored, beside the {@code rootfs} the runtime mounts. A bundle with anything still
 * mounted in it (a runtime that failed to unmount) is never emptied: that would delete the
 * container's snapshot through the mount.
 */
final class TaskBundles {

    private final Path dir;

    TaskBundles(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path of(TaskRef ref) {
        return dir.resolve(ref.namespace()).resolve(ref.id());
    }

    /** A fresh bundle with {@code spec} as its config.json; a leftover of an earlier attempt is removed first. */
    Path write(TaskRef ref, byte[] spec) throws IOException {
        Path bundle = of(ref);
        remove(ref);
        Files.createDirectories(bundle.getParent());
        Files.createDirectory(bundle, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x---")));
        Files.write(bundle.resolve("config.json"), spec);
        return bundle;
    }

    /**
     * Removes the bundle; a missing bundle is not an error.
     *
     * @throws IOException when something is still mounted in it (nothing is removed then), or
     *                     a file cannot be deleted
     */
    void remove(TaskRef ref) throws IOException {
        Path bundle = of(ref);
        if (!Files.exists(bundle, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            Path point = Path.of(unescape(line.split(" ")[4]));
            if (point.startsWith(bundle)) {
                throw new IOException("bundle " + bundle + " of task " + ref + " still has " + point + " mounted");
            }
        }
        Files.walkFileTree(bundle, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String field) {
        StringBuilder b = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                b.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
