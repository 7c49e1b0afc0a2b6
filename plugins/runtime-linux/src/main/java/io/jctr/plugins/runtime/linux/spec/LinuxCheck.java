package io.jctr.plugins.runtime.linux.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the rest of {@code linux}: devices, rootfs propagation, masked and read-only paths,
 * personality, Intel RDT and the cgroup resources' shapes.
 */
final class LinuxCheck {

    /** runc accepts the recursive forms too, beyond the four the specification lists. */
    static final Set<String> PROPAGATIONS = Set.of("shared", "slave", "private", "unbindable",
            "rshared", "rslave", "rprivate", "runbindable");

    // The kernel's dev_t: 12 bits of major, 20 bits of minor (MAJOR()/MINOR() in kdev_t.h).
    private static final long MAX_MAJOR = (1L << 12) - 1;
    private static final long MAX_MINOR = (1L << 20) - 1;
    private static final long S_IFMT = 0170000;
    private static final Pattern PAGE_SIZE = Pattern.compile("[1-9][0-9]*[KMGTP]?B");

    private LinuxCheck() {
    }

    static void check(Linux linux, NamespaceSet ns, Problems p) {
        checkDevices(linux.devices(), p);
        if (!linux.rootfsPropagation().isEmpty() && !PROPAGATIONS.contains(linux.rootfsPropagation())) {
            p.add("linux.rootfsPropagation", "unknown propagation "
                    + JsonPath.quote(linux.rootfsPropagation()));
        }
        checkPaths("linux.maskedPaths", linux.maskedPaths(), ns, p);
        checkPaths("linux.readonlyPaths", linux.readonlyPaths(), ns, p);
        if (linux.personality() != null) {
            checkPersonality(linux.personality(), p);
        }
        if (linux.intelRdt() != null) {
            checkIntelRdt(linux.intelRdt(), p);
        }
        if (linux.resources() != null) {
            checkResources(linux.resources(), p);
        }
    }

    private static void checkDevices(List<Linux.Device> devices, Problems p) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            String path = JsonPath.index("linux.devices", i);
            Linux.Device d = devices.get(i);
            if (p.absolute(path + ".path", d.path())) {
                Integer previous = seen.putIfAbsent(d.path(), i);
                if (previous != null) {
                    p.add(path + ".path", "duplicate device " + JsonPath.quote(d.path())
                            + " (also at " + JsonPath.index("linux.devices", previous) + ")");
                }
            }
            if (d.type().isEmpty()) {
                p.add(path + ".type", "must be set");
            } else if (!Set.of("c", "b", "u", "p").contains(d.type())) {
                p.add(path + ".type", "unknown device type " + JsonPath.quote(d.type())
                        + " (want c, b, u or p)");
            } else if (!d.type().equals("p")) {
                number(path + ".major", d.major(), MAX_MAJOR, d.type(), p);
                number(path + ".minor", d.minor(), MAX_MINOR, d.type(), p);
            }
            if (d.fileMode() != null && (d.fileMode() & ~S_IFMT & ~07777L) != 0) {
                p.add(path + ".fileMode", d.fileMode() + " has bits beyond a file mode");
            }
        }
    }

    private static void number(String path, Long value, long max, String type, Problems p) {
        if (value == null) {
            p.add(path, "must be set for device type " + JsonPath.quote(type));
        } else {
            p.inRange(path, value, 0, max);
        }
    }

    private static void checkPaths(String base, List<String> paths, NamespaceSet ns, Problems p) {
        if (!paths.isEmpty() && !ns.contains(NamespaceType.MOUNT)) {
            p.add(base, "cannot be applied without a mount namespace");
        }
        for (int i = 0; i < paths.size(); i++) {
            p.absolute(JsonPath.index(base, i), paths.get(i));
        }
    }

    private static void checkPersonality(Linux.Personality personality, Problems p) {
        ProcessCheck.oneOf("linux.personality.domain", personality.domain(),
                Set.of("LINUX", "LINUX32"), "personality domain", p);
        for (int i = 0; i < personality.flags().size(); i++) {
            p.add(JsonPath.index("linux.personality.flags", i), "unknown personality flag "
                    + JsonPath.quote(personality.flags().get(i)) + " (the specification defines none)");
        }
    }

    private static void checkIntelRdt(Linux.IntelRdt rdt, Problems p) {
        String closId = rdt.closId();
        // closID names a directory under /sys/fs/resctrl.
        if (closId.equals(".") || closId.equals("..") || closId.contains("/") || closId.indexOf('\0') >= 0) {
            p.add("linux.intelRdt.closID", "invalid class of service " + JsonPath.quote(closId));
        }
        String mb = rdt.memBwSchema();
        if (!mb.isEmpty() && (!mb.startsWith("MB:") || mb.indexOf('\n') >= 0)) {
            p.add("linux.intelRdt.memBwSchema", JsonPath.quote(mb)
                    + " must start with \"MB:\" and be one line");
        }
    }

    private static void checkResources(Resources r, Problems p) {
        for (int i = 0; i < r.devices().size(); i++) {
            String path = JsonPath.index("linux.resources.devices", i);
            Resources.DeviceRule rule = r.devices().get(i);
            if (rule.allow() == null) {
                p.add(path + ".allow", "must be set");
            }
            if (!Set.of("", "a", "b", "c").contains(rule.type())) {
                p.add(path + ".type", "unknown device type " + JsonPath.quote(rule.type())
                        + " (want a, b or c)");
            }
            if (!rule.access().isEmpty() && rule.permissions().isEmpty()) {
                // Letters besides r, w and m are ignored, as by runc ("rwa"); but an access
                // naming none of them would be a rule about nothing.
                p.add(path + ".access", JsonPath.quote(rule.access()) + " names none of r, w and m");
            }
        }
        for (int i = 0; i < r.hugepageLimits().size(); i++) {
            String size = r.hugepageLimits().get(i).pageSize();
            if (!PAGE_SIZE.matcher(size).matches()) {
                p.add(JsonPath.index("linux.resources.hugepageLimits", i) + ".pageSize",
                        JsonPath.quote(size) + " is not a page size like 2MB");
            }
        }
        for (Map.Entry<String, Resources.Rdma> e : r.rdma().entrySet()) {
            if (e.getValue().hcaHandles() == null && e.getValue().hcaObjects() == null) {
                p.add(JsonPath.key("linux.resources.rdma", e.getKey()),
                        "must set hcaHandles or hcaObjects");
            }
        }
    }
}
