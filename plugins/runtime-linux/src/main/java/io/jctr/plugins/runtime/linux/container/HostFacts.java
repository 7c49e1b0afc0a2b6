package io.jctr.plugins.runtime.linux.container;

import io.jctr.plugins.runtime.linux.plan.PlanOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the launch plan needs to know about this host, read from {@code /proc}: the highest
 * capability, whether {@code /proc/kcore} exists, whether the runtime runs in a user namespace
 * and whether it runs unprivileged.
 */
public final class HostFacts {

    private HostFacts() {
    }

    /** The plan options for this host, with the caller's {@code --no-pivot} and {@code --preserve-fds}. */
    public static PlanOptions planOptions(boolean noPivot, PlanOptions.CgroupMountSource cgroups, int preserveFds)
            throws IOException {
        return PlanOptions.defaults()
                .withPreserveFds(preserveFds)
                .withNoPivotRoot(noPivot)
                .withLastCap(lastCap())
                .withHostHasKcore(Files.exists(Path.of("/proc/kcore")))
                .withRunningInUserNamespace(inUserNamespace())
                .withRootless(!isRoot())
                .withCgroups(cgroups);
    }

    /** {@code /proc/sys/kernel/cap_last_cap}. */
    static int lastCap() throws IOException {
        return Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).trim());
    }

    /** Whether this process's user namespace is not the initial one (its uid map is partial). */
    static boolean inUserNamespace() throws IOException {
        String map = Files.readString(Path.of("/proc/self/uid_map")).trim();
        return !map.matches("0\\s+0\\s+4294967295");
    }

    /** Whether the effective uid is 0 ({@code /proc/self/status}'s Uid line). */
    static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0");
            }
        }
        return false;
    }
}
