package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Directory operations on a cgroup and its descendants. Stateless. */
final class CgroupTree {

    private static final int REMOVE_ATTEMPTS = 12;

    private CgroupTree() {
    }

    /**
     * Makes {@code dir} and its missing parents below {@code root}, calling {@code onCreated} for
     * each new one, parent first; returns the ones it made so a failure can undo them.
     */
    static List<Path> make(Path root, Path dir, Consumer<Path> onCreated) {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !p.equals(root) && !Files.isDirectory(p);
                p = p.getParent()) {
            missing.add(0, p);
        }
        List<Path> made = new ArrayList<>();
        try {
            for (Path p : missing) {
                try {
                    Files.createDirectory(p);
                    made.add(p);
                } catch (FileAlreadyExistsException e) {
                    continue; // made concurrently by another runtime: use it
                }
                onCreated.accept(p);
            }
        } catch (IOException e) {
            removeAll(made);
            throw new JctrException(JctrException.Kind.UNKNOWN, String.format(
                    "cgroup: creating %s: %s", dir, CgroupFiles.reason(e)), e);
        } catch (RuntimeException e) {
            removeAll(made);
            throw e;
        }
        return made;
    }

    /** Removes directories made by {@link #make}, deepest first, ignoring failures. */
    static void removeAll(List<Path> made) {
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(made.get(i));
            } catch (IOException ignored) {
                // best effort: the caller reports the original failure
            }
        }
    }

    /** The pids in {@code dir} and every cgroup below it. */
    static List<Long> pids(Path dir) {
        List<Long> out = new ArrayList<>();
        collect(dir, out);
        return out;
    }

    private static void collect(Path dir, List<Long> out) {
        String procs;
        try {
            procs = Files.readString(dir.resolve("cgroup.procs"));
        } catch (NoSuchFileException e) {
            return; // removed meanwhile
        } catch (IOException e) {
            throw new JctrException(JctrException.Kind.UNKNOWN, String.format(
                    "cgroup: reading \"cgroup.procs\" in %s: %s", dir, CgroupFiles.reason(e)), e);
        }
        for (String line : procs.split("\n")) {
            if (!line.isBlank()) {
                out.add(Long.parseLong(line.trim()));
            }
        }
        for (Path child : children(dir)) {
            collect(child, out);
        }
    }

    private static List<Path> children(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
            s.forEach(out::add);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new JctrException(JctrException.Kind.UNKNOWN, String.format(
                    "cgroup: listing %s: %s", dir, CgroupFiles.reason(e)), e);
        }
        return out;
    }

    /**
     * Removes {@code dir} and the cgroups below it, leaf first. rmdir fails with EBUSY while a
     * task that was just killed is still exiting, so each removal is retried with a growing
     * delay (about 4 s in all). A missing directory is not an error.
     */
    static void remove(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        // The common case, a leaf whose tasks are gone, in one rmdir: listing first would stat
        // every control file (a few hundred a container) to find no child.
        try {
            Files.deleteIfExists(dir);
            return;
        } catch (IOException e) {
            // children (EBUSY), or tasks still exiting: below
        }
        for (Path child : children(dir)) {
            remove(child);
        }
        long delay = 2;
        for (int attempt = 1; ; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                if (attempt == REMOVE_ATTEMPTS) {
                    throw new JctrException(JctrException.Kind.UNKNOWN, String.format(
                            "cgroup: removing %s: %s", dir, CgroupFiles.reason(e)), e);
                }
            }
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JctrException(JctrException.Kind.ABORTED,
                        String.format("cgroup: removing %s: interrupted", dir), e);
            }
            delay = Math.min(delay * 2, 1000);
        }
    }
}
