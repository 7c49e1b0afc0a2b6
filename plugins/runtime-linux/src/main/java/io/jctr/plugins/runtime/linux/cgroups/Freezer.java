package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.spi.JctrException;
import java.nio.file.Path;

/**
 * Freezing and thawing: v1's {@code freezer.state} (cgroup-v1/freezer-subsystem.rst) and v2's
 * {@code cgroup.freeze} with the {@code frozen} key of {@code cgroup.events}. Freezing is
 * asynchronous in both; these methods wait for the kernel to finish. Stateless.
 */
final class Freezer {

    private static final long TIMEOUT_NANOS = 5_000_000_000L;

    private Freezer() {
    }

    static void freezeV1(Path d) {
        CgroupFiles.write(d, "freezer.state", "FROZEN");
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (int i = 1; System.nanoTime() < deadline; i++) {
            if (stateV1(d) == FreezerState.FROZEN) {
                return;
            }
            if (i % 50 == 0) {
                // A task forking or stuck in an uninterruptible sleep can keep the cgroup in
                // FREEZING; thawing and freezing again gets it moving (runc does the same).
                CgroupFiles.write(d, "freezer.state", "THAWED");
                CgroupFiles.write(d, "freezer.state", "FROZEN");
            }
            pause();
        }
        CgroupFiles.write(d, "freezer.state", "THAWED");
        throw JctrException.unavailable("cgroup: freezing %s did not finish within 5 s", d);
    }

    static void thawV1(Path d) {
        CgroupFiles.write(d, "freezer.state", "THAWED");
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (stateV1(d) != FreezerState.THAWED) {
            if (System.nanoTime() > deadline) {
                throw JctrException.unavailable("cgroup: thawing %s did not finish within 5 s", d);
            }
            pause();
        }
    }

    static FreezerState stateV1(Path d) {
        String s = CgroupFiles.read(d, "freezer.state");
        try {
            return FreezerState.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new JctrException(JctrException.Kind.UNKNOWN,
                    String.format("cgroup: \"freezer.state\" in %s holds %s", d, s), e);
        }
    }

    static void freezeV2(Path d) {
        setV2(d, "1", FreezerState.FROZEN);
    }

    static void thawV2(Path d) {
        setV2(d, "0", FreezerState.THAWED);
    }

    private static void setV2(Path d, String value, FreezerState want) {
        if (!CgroupFiles.exists(d, "cgroup.freeze")) {
            throw new JctrException(JctrException.Kind.NOT_IMPLEMENTED, String.format(
                    "cgroup: %s has no cgroup.freeze (needs Linux 5.2)", d));
        }
        CgroupFiles.write(d, "cgroup.freeze", value);
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (stateV2(d) != want) {
            if (System.nanoTime() > deadline) {
                throw JctrException.unavailable("cgroup: writing \"cgroup.freeze\" = %s in %s: "
                        + "not %s within 5 s", value, d, want);
            }
            pause();
        }
    }

    static FreezerState stateV2(Path d) {
        if (!CgroupFiles.exists(d, "cgroup.freeze")) {
            return FreezerState.THAWED;
        }
        boolean asked = CgroupFiles.read(d, "cgroup.freeze").equals("1");
        boolean frozen = StatFiles.keyValues(d, "cgroup.events").getOrDefault("frozen", 0L) == 1;
        if (asked) {
            return frozen ? FreezerState.FROZEN : FreezerState.FREEZING;
        }
        // Thawing is immediate from the tasks' view; a frozen parent still keeps them stopped.
        return frozen ? FreezerState.FROZEN : FreezerState.THAWED;
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JctrException(JctrException.Kind.ABORTED, "cgroup: freezer: interrupted", e);
        }
    }
}
