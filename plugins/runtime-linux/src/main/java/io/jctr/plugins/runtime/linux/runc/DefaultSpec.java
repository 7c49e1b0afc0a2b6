package io.jctr.plugins.runtime.linux.runc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.container.GoJson;
import java.util.List;

/**
 * The starting config.json that {@code spec} writes: the same container runc's example spec
 * describes (a shell with a terminal, a read-only busybox-style rootfs, the usual pseudo file
 * systems, three capabilities, no devices), so tools and tests written against
 * {@code runc spec} work unchanged. {@code rootless} swaps the network namespace for a user
 * namespace mapping root to the caller and binds {@code /sys} instead of mounting sysfs.
 */
final class DefaultSpec {

    private static final ObjectMapper MAPPER = GoJson.MAPPER;
    private static final List<String> CAPS = List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE");

    private DefaultSpec() {
    }

    static ObjectNode build(boolean rootless, long uid, long gid) {
        ObjectNode spec = MAPPER.createObjectNode();
        spec.put("ociVersion", "1.0.2-dev");
        ObjectNode process = spec.putObject("process");
        process.put("terminal", true);
        process.putObject("user").put("uid", 0).put("gid", 0);
        process.putArray("args").add("sh");
        process.putArray("env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .add("TERM=xterm");
        process.put("cwd", "/");
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted", "ambient")) {
            ArrayNode a = caps.putArray(set);
            CAPS.forEach(a::add);
        }
        process.putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE").put("hard", 1024).put("soft", 1024);
        process.put("noNewPrivileges", true);
        spec.putObject("root").put("path", "rootfs").put("readonly", true);
        spec.put("hostname", "runc");
        ArrayNode mounts = spec.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        if (rootless) {
            mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                    "mode=0620");
        } else {
            mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                    "mode=0620", "gid=5");
        }
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        if (rootless) {
            mount(mounts, "/sys", "none", "/sys", "rbind", "nosuid", "noexec", "nodev", "ro");
        } else {
            mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        }
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
        ObjectNode linux = spec.putObject("linux");
        if (rootless) {
            linux.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", uid).put("size", 1);
            linux.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", gid).put("size", 1);
        } else {
            linux.putObject("resources").putArray("devices").addObject().put("allow", false).put("access", "rwm");
        }
        ArrayNode ns = linux.putArray("namespaces");
        List<String> types = rootless ? List.of("pid", "ipc", "uts", "mount", "user")
                : List.of("pid", "network", "ipc", "uts", "mount");
        types.forEach(t -> ns.addObject().put("type", t));
        ArrayNode masked = linux.putArray("maskedPaths");
        List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi")
                .forEach(masked::add);
        ArrayNode readonly = linux.putArray("readonlyPaths");
        List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger").forEach(readonly::add);
        return spec;
    }

    private static void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
        ObjectNode m = mounts.addObject().put("destination", destination).put("type", type).put("source", source);
        if (options.length > 0) {
            ArrayNode o = m.putArray("options");
            for (String s : options) {
                o.add(s);
            }
        }
    }
}
