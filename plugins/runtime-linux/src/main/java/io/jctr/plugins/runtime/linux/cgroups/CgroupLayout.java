package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's cgroup hierarchies as this process sees them: the mode, each v1 hierarchy's mount
 * point and controllers, the cgroup2 mount, and this process's own cgroup in each (relative
 * {@code cgroupsPath}s go below it). Immutable.
 *
 * @param mode        legacy (v1 only), hybrid (v1 controllers plus an empty cgroup2) or unified
 * @param hierarchies the v1 hierarchies in mount order; empty in unified mode
 * @param unified     the cgroup2 mount; {@code null} in legacy mode
 */
public record CgroupLayout(Mode mode, List<Hierarchy> hierarchies, Hierarchy unified) {

    /** Which cgroup versions the host uses. */
    public enum Mode {
        /** Only v1 hierarchies. */
        LEGACY,
        /** v1 controllers, plus a cgroup2 mount that holds no controllers (systemd's hybrid). */
        HYBRID,
        /** Only cgroup2, holding every controller. */
        UNIFIED
    }

    /** The v1 controllers the kernel knows; any other mount option is not a controller. */
    static final Set<String> V1_CONTROLLERS = Set.of("cpuset", "cpu", "cpuacct", "blkio",
            "memory", "devices", "freezer", "net_cls", "perf_event", "net_prio", "hugetlb",
            "pids", "rdma", "misc", "debug");

    /**
     * One mounted hierarchy.
     *
     * @param mountPoint  where it is mounted, e.g. {@code /sys/fs/cgroup/memory}
     * @param root        the mount's root inside the hierarchy ({@code /} unless bind-mounted or
     *                    seen from a cgroup namespace)
     * @param controllers its v1 controllers plus {@code name=...} for a named hierarchy; empty
     *                    for cgroup2
     * @param ownCgroup   this process's cgroup in it, from {@code /proc/self/cgroup}
     */
    public record Hierarchy(Path mountPoint, String root, Set<String> controllers,
            String ownCgroup) {

        public Hierarchy {
            controllers = Set.copyOf(controllers);
        }

        /** The mount point's last name: {@code memory}, {@code cpu,cpuacct}, {@code systemd}. */
        public String name() {
            return mountPoint.getFileName().toString();
        }

        /** Whether it holds {@code controller} ({@code memory}, {@code name=systemd}, ...). */
        public boolean has(String controller) {
            return controllers.contains(controller);
        }
    }

    public CgroupLayout {
        hierarchies = List.copyOf(hierarchies);
    }

    /** This process's layout, from {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}. */
    public static CgroupLayout detect() {
        return of("self");
    }

    /** Process {@code pid}'s layout, from its {@code mountinfo} and {@code cgroup} in {@code /proc}. */
    public static CgroupLayout ofProcess(int pid) {
        return of(Integer.toString(pid));
    }

    private static CgroupLayout of(String process) {
        Path proc = Path.of("/proc", process);
        try {
            return parse(Files.readString(proc.resolve("mountinfo")), Files.readString(proc.resolve("cgroup")));
        } catch (IOException e) {
            throw JctrException.unavailable("cgroup: cannot read %s: %s", proc, e.getMessage());
        }
    }

    /** Parses the contents of {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}. */
    static CgroupLayout parse(String mountinfo, String procCgroup) {
        Map<Set<String>, String> own = new HashMap<>();
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length == 3) {
                own.put(f[1].isEmpty() ? Set.of() : Set.of(f[1].split(",")), f[2]);
            }
        }
        List<Hierarchy> v1 = new ArrayList<>();
        Set<Set<String>> seen = new java.util.HashSet<>();
        Hierarchy v2 = null;
        for (String line : mountinfo.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 5 || right.length < 3) {
                continue;
            }
            Path mountPoint = Path.of(unescape(left[4]));
            String root = unescape(left[3]);
            if (right[0].equals("cgroup2") && v2 == null) {
                v2 = new Hierarchy(mountPoint, root, Set.of(), own.getOrDefault(Set.of(), "/"));
            } else if (right[0].equals("cgroup")) {
                Set<String> controllers = new LinkedHashSet<>();
                for (String option : right[2].split(",")) {
                    if (V1_CONTROLLERS.contains(option) || option.startsWith("name=")) {
                        controllers.add(option);
                    }
                }
                // The same hierarchy may be mounted twice (bind mounts); the first one counts.
                if (!controllers.isEmpty() && seen.add(controllers)) {
                    v1.add(new Hierarchy(mountPoint, root, controllers,
                            own.getOrDefault(controllers, "/")));
                }
            }
        }
        if (v1.isEmpty() && v2 == null) {
            throw JctrException.unavailable("cgroup: no cgroup filesystem is mounted");
        }
        if (v1.isEmpty()) {
            return new CgroupLayout(Mode.UNIFIED, List.of(), v2);
        }
        return new CgroupLayout(v2 == null ? Mode.LEGACY : Mode.HYBRID, v1, v2);
    }

    /** The v1 hierarchy holding {@code controller}, or {@code null}. */
    public Hierarchy hierarchy(String controller) {
        for (Hierarchy h : hierarchies) {
            if (h.has(controller)) {
                return h;
            }
        }
        return null;
    }

    /** Undoes mountinfo's octal escapes of space, tab, newline and backslash. */
    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
