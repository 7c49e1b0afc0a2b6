package io.jctr.core.run;

import io.jctr.spi.JctrException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Capability names for {@code --cap-add}/{@code --cap-drop} and {@code --privileged}: the
 * capabilities of Linux 6.1 (what this Debian runs; a runtime drops those its kernel does not
 * know), and containerd's add/drop rules ({@code oci.WithAddedCapabilities},
 * {@code WithDroppedCapabilities}: ALL names every one).
 */
final class Capabilities {

    static final List<String> ALL = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
            "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private Capabilities() {
    }

    /** {@code current} with {@code add} added and then {@code drop} removed, as ctr applies them. */
    static List<String> apply(List<String> current, List<String> add, List<String> drop) {
        Set<String> caps = new LinkedHashSet<>(current);
        for (String c : normalize(add, "--cap-add")) {
            if (c.equals("ALL")) {
                caps.addAll(ALL);
            } else {
                caps.add(c);
            }
        }
        for (String c : normalize(drop, "--cap-drop")) {
            if (c.equals("ALL")) {
                caps.clear();
            } else {
                caps.remove(c);
            }
        }
        return new ArrayList<>(caps);
    }

    /** Upper-cased names with the CAP_ prefix; a name without it is accepted (docker's habit). */
    private static List<String> normalize(List<String> names, String option) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String c = n.trim().toUpperCase(Locale.ROOT);
            if (!c.equals("ALL") && !c.startsWith("CAP_")) {
                c = "CAP_" + c;
            }
            if (!c.equals("ALL") && !ALL.contains(c)) {
                throw JctrException.invalidArgument("%s %s: unknown capability", option, n);
            }
            out.add(c);
        }
        return out;
    }
}
