package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.spi.JctrException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks {@code linux.resources} before anything is created or written, so bad input leaves no
 * trace: values out of range, malformed cpu lists, device rules and page sizes, and settings
 * that the host's cgroup version cannot express. Stateless.
 */
final class ResourceCheck {

    private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
    static final Pattern PAGE_SIZE = Pattern.compile("\\d+(KB|MB|GB|TB|PB)");

    private ResourceCheck() {
    }

    /** Throws invalid argument, naming the JSON path and value, for the first bad setting. */
    static void check(Resources r, boolean unified) {
        if (r == null) {
            return;
        }
        memory(r.memory(), unified);
        cpu(r.cpu(), unified);
        for (Resources.DeviceRule d : r.devices()) {
            DeviceRules.check(d);
        }
        for (Resources.HugepageLimit h : r.hugepageLimits()) {
            if (!PAGE_SIZE.matcher(h.pageSize()).matches()) {
                throw JctrException.invalidArgument(
                        "linux.resources.hugepageLimits: page size \"%s\" is not like \"2MB\"",
                        h.pageSize());
            }
        }
        if (r.network() != null) {
            if (unified) {
                throw JctrException.invalidArgument(
                        "linux.resources.network: net_cls and net_prio do not exist on cgroup v2");
            }
            for (Resources.InterfacePriority p : r.network().priorities()) {
                if (p.name().isEmpty() || !p.name().matches("[^\\s/]+")) {
                    throw JctrException.invalidArgument(
                            "linux.resources.network.priorities: interface name \"%s\" is invalid",
                            p.name());
                }
            }
        }
        if (!r.unified().isEmpty() && !unified) {
            throw JctrException.invalidArgument("linux.resources.unified: %s: cgroup v2 files "
                    + "cannot be set on a cgroup v1 host (invalid configuration)", r.unified().keySet());
        }
        for (Map.Entry<String, String> e : r.unified().entrySet()) {
            String key = e.getKey();
            if (key.contains("/") || !key.contains(".") || key.startsWith(".")) {
                throw JctrException.invalidArgument(
                        "linux.resources.unified: \"%s\" is not a cgroup file name", key);
            }
            if (key.equals("cgroup.procs") || key.equals("cgroup.threads")
                    || key.equals("cgroup.kill")) {
                throw JctrException.invalidArgument(
                        "linux.resources.unified: \"%s\" is not a resource setting", key);
            }
        }
    }

    /** {@code memory.checkBeforeUpdate}: refuses a limit below the usage in {@code usageFile}. */
    static void limitAboveUsage(Resources r, java.nio.file.Path dir, String usageFile) {
        Resources.Memory m = r == null ? null : r.memory();
        if (m == null || !Boolean.TRUE.equals(m.checkBeforeUpdate()) || m.limit() == null
                || m.limit() <= 0 || !CgroupFiles.exists(dir, usageFile)) {
            return;
        }
        long usage = CgroupFiles.readLong(dir, usageFile);
        if (Long.compareUnsigned(m.limit(), usage) < 0) {
            throw JctrException.failedPrecondition("linux.resources.memory.limit: %d is below "
                    + "the current usage %d (checkBeforeUpdate)", m.limit(), usage);
        }
    }

    private static void memory(Resources.Memory m, boolean unified) {
        if (m == null) {
            return;
        }
        limit("memory.limit", m.limit());
        limit("memory.reservation", m.reservation());
        limit("memory.swap", m.swap());
        if (m.swappiness() != null && Long.compareUnsigned(m.swappiness(), 100) > 0) {
            throw JctrException.invalidArgument(
                    "linux.resources.memory.swappiness: %s is out of range 0-100",
                    Long.toUnsignedString(m.swappiness()));
        }
        if (unified) {
            // Fails early what UnifiedResources would compute: swap needs a memory limit.
            UnifiedResources.swapMax(m.limit(), m.swap());
        }
    }

    private static void limit(String name, Long value) {
        if (value != null && value < -1) {
            throw JctrException.invalidArgument(
                    "linux.resources.%s: %d is invalid (bytes, or -1 for unlimited)", name, value);
        }
    }

    private static void cpu(Resources.Cpu c, boolean unified) {
        if (c == null) {
            return;
        }
        if (c.quota() != null && c.quota() < -1) {
            throw JctrException.invalidArgument(
                    "linux.resources.cpu.quota: %d is invalid (µs, or -1 for unlimited)",
                    c.quota());
        }
        if (c.realtimeRuntime() != null && c.realtimeRuntime() < -1) {
            throw JctrException.invalidArgument(
                    "linux.resources.cpu.realtimeRuntime: %d is invalid", c.realtimeRuntime());
        }
        cpuList("cpus", c.cpus());
        cpuList("mems", c.mems());
        if (c.idle() != null && c.idle() != 0 && c.idle() != 1) {
            throw JctrException.invalidArgument(
                    "linux.resources.cpu.idle: %d is invalid (0 or 1)", c.idle());
        }
        if (unified && (nonZero(c.realtimeRuntime()) || nonZero(c.realtimePeriod()))) {
            throw JctrException.invalidArgument("linux.resources.cpu: realtimeRuntime and "
                    + "realtimePeriod are not supported on cgroup v2");
        }
    }

    private static void cpuList(String name, String value) {
        if (!value.isEmpty() && !CPU_LIST.matcher(value).matches()) {
            throw JctrException.invalidArgument(
                    "linux.resources.cpu.%s: \"%s\" is not a list like \"0-3,7\"", name, value);
        }
    }

    static boolean nonZero(Long value) {
        return value != null && value != 0;
    }
}
