package io.jctr.plugins.runtime.linux.task;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * Removes the per-namespace parent cgroups ({@code /jctr/<namespace>}) the runtime's tasks
 * leave behind, as containerd leaves {@code /<namespace>}: only when empty, since a parallel run
 * may be using the same namespace (rmdir of a cgroup with children or processes fails).
 */
final class NamespaceCgroups {

    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private NamespaceCgroups() {
    }

    static void removeEmpty(Collection<String> namespaces) {
        for (Path hierarchy : hierarchies()) {
            for (String ns : namespaces) {
                try {
                    Files.deleteIfExists(hierarchy.resolve("jctr").resolve(ns));
                } catch (IOException e) {
                    // in use by someone else, or not ours to remove
                }
            }
        }
    }

    private static java.util.List<Path> hierarchies() {
        java.util.List<Path> out = new java.util.ArrayList<>();
        out.add(CGROUP_ROOT);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(CGROUP_ROOT, Files::isDirectory)) {
            dirs.forEach(out::add);
        } catch (IOException e) {
            // no cgroup file system: nothing to remove
        }
        return out;
    }
}
