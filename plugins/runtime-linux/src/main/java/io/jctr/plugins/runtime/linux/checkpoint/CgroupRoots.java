package io.jctr.plugins.runtime.linux.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CRIU's {@code --cgroup-root [controller:]/path} values that put restored processes into a
 * container's new cgroups: each directory relative to the mount of its hierarchy, or one root
 * for all when that is the same everywhere. Stateless.
 */
final class CgroupRoots {

    private CgroupRoots() {
    }

    /**
     * The values for {@code dirs}, by controller as {@code ContainerCgroup.paths()} keys them
     * ({@code ""} for cgroup2, which has no controller name; {@code cpu} and {@code cpuacct}
     * share a directory and appear once).
     */
    static List<String> of(Map<String, Path> dirs) throws IOException {
        List<Path> mounts = cgroupMounts();
        List<String> out = new ArrayList<>();
        List<Path> done = new ArrayList<>();
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            if (done.contains(e.getValue())) {
                continue;
            }
            done.add(e.getValue());
            Path mount = mounts.stream().filter(m -> e.getValue().startsWith(m))
                    .max((x, y) -> Integer.compare(x.getNameCount(), y.getNameCount())).orElse(null);
            if (mount == null) {
                continue;
            }
            String relative = "/" + mount.relativize(e.getValue());
            out.add(e.getKey().isEmpty() ? relative : e.getKey() + ":" + relative);
        }
        // The usual case: the same path in every hierarchy, which one controller-less root says
        // (and spares naming co-mounted controllers such as "cpu,cpuacct" as CRIU spells them).
        List<String> paths = out.stream().map(v -> v.substring(v.indexOf(':') + 1)).distinct().toList();
        return paths.size() == 1 ? paths : out;
    }

    private static List<Path> cgroupMounts() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String type = line.substring(dash + 3).split(" ")[0];
            if (type.equals("cgroup") || type.equals("cgroup2")) {
                out.add(Path.of(line.split(" ")[4]));
            }
        }
        return out;
    }
}
