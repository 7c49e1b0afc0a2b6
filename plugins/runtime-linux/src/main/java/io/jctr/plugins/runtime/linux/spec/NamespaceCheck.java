package io.jctr.plugins.runtime.linux.spec;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks {@code linux.namespaces}, the user namespace mappings and the time offsets. */
final class NamespaceCheck {

    /** The kernel's limit on lines in uid_map and gid_map (since Linux 4.15). */
    static final int MAX_MAPPING_LINES = 340;

    private static final long UINT32_LIMIT = 1L << 32;

    private NamespaceCheck() {
    }

    static void check(RuntimeSpec spec, NamespaceSet ns, Problems p) {
        Linux linux = spec.linux();
        checkNamespaces(linux.namespaces(), p);
        checkUserNamespace(spec, ns, p);
        checkTimeOffsets(linux.timeOffsets(), ns, p);
    }

    private static void checkNamespaces(List<Linux.Namespace> namespaces, Problems p) {
        Map<NamespaceType, Integer> seen = new EnumMap<>(NamespaceType.class);
        for (int i = 0; i < namespaces.size(); i++) {
            String path = JsonPath.index("linux.namespaces", i);
            Linux.Namespace n = namespaces.get(i);
            if (!p.present(path + ".type", n.type())) {
                continue;
            }
            var type = NamespaceType.bySpecName(n.type());
            if (type.isEmpty()) {
                p.add(path + ".type", "unknown namespace type " + JsonPath.quote(n.type()));
            } else if (seen.containsKey(type.get())) {
                p.add(path + ".type", "duplicate namespace type " + JsonPath.quote(n.type())
                        + " (also at " + JsonPath.index("linux.namespaces", seen.get(type.get())) + ")");
            } else {
                seen.put(type.get(), i);
            }
            if (!n.path().isEmpty()) {
                p.absolute(path + ".path", n.path());
            }
        }
    }

    private static void checkUserNamespace(RuntimeSpec spec, NamespaceSet ns, Problems p) {
        Linux linux = spec.linux();
        checkMappings("linux.uidMappings", linux.uidMappings(), p);
        checkMappings("linux.gidMappings", linux.gidMappings(), p);
        if (!ns.contains(NamespaceType.USER)) {
            // As runc: mappings without a user namespace would be silently ignored.
            if (!linux.uidMappings().isEmpty()) {
                p.add("linux.uidMappings", "set but linux.namespaces has no user namespace");
            }
            if (!linux.gidMappings().isEmpty()) {
                p.add("linux.gidMappings", "set but linux.namespaces has no user namespace");
            }
            return;
        }
        if (!ns.isNew(NamespaceType.USER)) {
            return; // a joined namespace already has its maps
        }
        if (linux.uidMappings().isEmpty()) {
            p.add("linux.uidMappings", "must be set for a new user namespace");
        }
        if (linux.gidMappings().isEmpty()) {
            p.add("linux.gidMappings", "must be set for a new user namespace");
        }
        Process process = spec.process();
        if (process == null) {
            return;
        }
        // setresuid(2)/setresgid(2)/setgroups(2) fail with EINVAL for ids the namespace does
        // not map.
        mapped("process.user.uid", process.user().uid(), "linux.uidMappings", linux.uidMappings(), p);
        mapped("process.user.gid", process.user().gid(), "linux.gidMappings", linux.gidMappings(), p);
        List<Long> gids = process.user().additionalGids();
        for (int i = 0; i < gids.size(); i++) {
            mapped(JsonPath.index("process.user.additionalGids", i), gids.get(i),
                    "linux.gidMappings", linux.gidMappings(), p);
        }
    }

    private static void mapped(String path, long id, String mapPath, List<IdMapping> map, Problems p) {
        if (map.isEmpty()) {
            return;
        }
        for (IdMapping m : map) {
            if (id >= m.containerId() && id < m.containerId() + m.size()) {
                return;
            }
        }
        p.add(path, id + " is not mapped by " + mapPath);
    }

    /** Sizes, ranges and overlaps as the kernel checks them when the map is written. */
    static void checkMappings(String base, List<IdMapping> map, Problems p) {
        if (map.size() > MAX_MAPPING_LINES) {
            p.add(base, map.size() + " entries exceed the kernel's limit of " + MAX_MAPPING_LINES);
        }
        for (int i = 0; i < map.size(); i++) {
            String path = JsonPath.index(base, i);
            IdMapping m = map.get(i);
            if (m.size() == 0) {
                p.add(path + ".size", "must be greater than zero");
                continue;
            }
            if (m.containerId() + m.size() > UINT32_LIMIT) {
                p.add(path, "container range " + m.containerId() + "+" + m.size() + " exceeds uint32");
            }
            if (m.hostId() + m.size() > UINT32_LIMIT) {
                p.add(path, "host range " + m.hostId() + "+" + m.size() + " exceeds uint32");
            }
            for (int j = 0; j < i; j++) {
                IdMapping o = map.get(j);
                if (overlaps(m.containerId(), o.containerId(), m.size(), o.size())
                        || overlaps(m.hostId(), o.hostId(), m.size(), o.size())) {
                    p.add(path, "overlaps " + JsonPath.index(base, j));
                    break;
                }
            }
        }
    }

    private static boolean overlaps(long a, long b, long sizeA, long sizeB) {
        return a < b + sizeB && b < a + sizeA;
    }

    private static void checkTimeOffsets(Map<String, Linux.TimeOffset> offsets, NamespaceSet ns,
            Problems p) {
        if (offsets.isEmpty()) {
            return;
        }
        // Offsets can only be written while no process lives in the namespace, so only a new
        // one can have them (time_namespaces(7)).
        if (!ns.isNew(NamespaceType.TIME)) {
            p.add("linux.timeOffsets", "set but no new time namespace is requested");
        }
        for (Map.Entry<String, Linux.TimeOffset> e : offsets.entrySet()) {
            String path = JsonPath.key("linux.timeOffsets", e.getKey());
            if (!Set.of("monotonic", "boottime").contains(e.getKey())) {
                p.add(path, "unknown clock " + JsonPath.quote(e.getKey())
                        + " (only monotonic and boottime have offsets)");
            }
            if (e.getValue().nanosecs() >= 1_000_000_000L) {
                p.add(path + ".nanosecs", e.getValue().nanosecs() + " is not below one second");
            }
        }
    }
}
