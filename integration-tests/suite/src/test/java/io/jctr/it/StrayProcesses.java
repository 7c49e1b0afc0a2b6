package io.jctr.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a test's daemon may leave behind outside its own process tree: containers and shims that
 * outlive a killed daemon (they are re-parented to init), and root file systems mounted in its
 * directory. Found by what they point into, the daemon's private directory, so cleanup never
 * touches another test's or the host's processes and mounts.
 */
final class StrayProcesses {

    private StrayProcesses() {
    }

    /** The pids whose root, working directory or command line lies in {@code dir}. */
    static List<Long> under(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().normalize().toString();
        List<Long> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
                    continue;
                }
                if (link(p.resolve("root")).filter(r -> r.startsWith(prefix)).isPresent()
                        || link(p.resolve("cwd")).filter(r -> r.startsWith(prefix)).isPresent()
                        || cmdline(p).contains(prefix)) {
                    found.add(Long.parseLong(name));
                }
            }
        }
        return found;
    }

    /**
     * SIGKILLs everything {@link #under} finds, with its descendants (a shim's containers live in
     * their own mount namespaces, where their root does not read as a path in {@code dir}), and
     * waits for it to go.
     */
    static void killUnder(Path dir) throws IOException {
        List<ProcessHandle> found = under(dir).stream().map(ProcessHandle::of).flatMap(Optional::stream).toList();
        List<ProcessHandle> handles = new ArrayList<>(found);
        found.forEach(h -> h.descendants().forEach(handles::add));
        handles.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : handles) {
            try {
                h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // A zombie whose parent is gone is reaped by init; nothing more to do here.
            }
        }
    }

    /** The mount points in {@code dir}, deepest first. */
    static List<String> mountsUnder(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().normalize() + "/";
        List<String> points = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4].replace("\\040", " ");
            if (point.startsWith(prefix)) {
                points.add(point);
            }
        }
        points.sort(Comparator.comparingInt(String::length).reversed());
        return points;
    }

    /** Lazily unmounts everything mounted in {@code dir}. */
    static void unmountUnder(Path dir) throws IOException {
        for (String point : mountsUnder(dir)) {
            Commands.run(List.of("umount", "-l", point));
        }
    }

    private static Optional<String> link(Path p) {
        try {
            return Optional.of(Files.readSymbolicLink(p).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static String cmdline(Path p) {
        try {
            return new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
