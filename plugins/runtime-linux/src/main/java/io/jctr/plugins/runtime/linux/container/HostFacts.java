package io.jctr.plugins.runtime.linux.container;

import io.jctr.plugins.runtime.linux.plan.PlanOptions;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

    /**
     * {@code /proc/sys/kernel/cap_last_cap}, read in one {@code read(2)}: a sysctl file answers
     * end-of-file to a read at a non-zero offset, so a reader that starts with a small buffer
     * (as {@code Files.readString} does for a file whose size is 0) sees "4" of "40".
     */
    static int lastCap() throws IOException {
        try (InputStream in = new FileInputStream("/proc/sys/kernel/cap_last_cap")) {
            byte[] buffer = new byte[32];
            int n = in.read(buffer);
            return Integer.parseInt(new String(buffer, 0, Math.max(n, 0), StandardCharsets.US_ASCII).trim());
        }
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
