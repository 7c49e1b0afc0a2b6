package io.jctr.plugins.runtime.linux.cgroups;

import static io.jctr.plugins.runtime.linux.cgroups.CgroupTestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jctr.plugins.runtime.linux.spec.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The v2 manager on this host's real cgroup2 mount (in hybrid mode it holds no controllers, but
 * directories, {@code cgroup.procs}, {@code cgroup.freeze} and {@code cgroup.kill} work).
 */
@Tag("root")
class UnifiedCgroupTest {

    private CgroupTestSupport support;
    private UnifiedCgroup cg;
    private Path root;

    @BeforeEach
    void setUp() {
        assumeTrue(CgroupTestSupport.isRoot(), "needs root");
        CgroupLayout layout = CgroupLayout.detect();
        assumeTrue(layout.unified() != null, "needs a cgroup2 mount");
        root = layout.unified().mountPoint();
        support = new CgroupTestSupport();
        String name = CgroupTestSupport.uniqueName();
        cg = support.track(new UnifiedCgroup(root, root.resolve(name).resolve("c")));
    }

    @AfterEach
    void tearDown() {
        if (support != null) {
            support.close();
            // the parent made on the way down
            try {
                Files.deleteIfExists(cg.paths().get("").getParent());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void createJoinListDestroy() throws Exception {
        ContainerCgroup.Created created = cg.create(null);
        Path dir = cg.paths().get("");
        assertEquals(List.of(dir.resolve("cgroup.procs")), created.procsFiles());
        Process p = support.startIn(cg, "exec sleep 30");
        eventually(() -> cg.pids().equals(List.of(p.pid())), "the sleep in cgroup.procs");
        assertTrue(Files.readString(Path.of("/proc/" + p.pid() + "/cgroup"))
                .contains("0::/" + root.relativize(dir)));
        CgroupStats stats = cg.stats();
        assertTrue(stats.cpu().usage().total() >= 0);
        cg.destroy(true);
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertFalse(Files.exists(dir));
        cg.destroy(true);
    }

    @Test
    void freezeAndThawThroughCgroupFreeze() throws Exception {
        assumeTrue(Files.exists(root.resolve("init.scope/cgroup.freeze"))
                || kernelAtLeast(5, 2), "needs Linux 5.2");
        cg.create(null);
        support.startIn(cg, "while :; do :; done");
        cg.freeze();
        assertEquals(FreezerState.FROZEN, cg.state());
        long frozenAt = cg.stats().cpu().usage().total();
        Thread.sleep(300); // a window in which a frozen task must not use cpu (proving a negative)
        assertEquals(frozenAt, cg.stats().cpu().usage().total());
        cg.thaw();
        assertEquals(FreezerState.THAWED, cg.state());
        eventually(() -> cg.stats().cpu().usage().total() > frozenAt, "progress after thaw");
    }

    @Test
    void destroyKillsFrozenProcessesWithCgroupKill() throws Exception {
        assumeTrue(kernelAtLeast(5, 14), "needs Linux 5.14");
        cg.create(null);
        Process p = support.startIn(cg, "sleep 30 & sleep 30 & wait");
        eventually(() -> cg.pids().size() == 3, "three processes");
        cg.freeze();
        cg.destroy(true);
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertFalse(cg.exists());
    }

    @Test
    void deviceRulesBecomeAnEbpfProgram() throws Exception {
        List<Resources.DeviceRule> rules = List.of(
                new Resources.DeviceRule(false, "", null, null, "rwm"),
                new Resources.DeviceRule(true, "c", 1L, 3L, "rwm"));
        cg.create(new Resources(rules, null, null, null, null, null, null, null, null));
        Path dir = cg.paths().get("");
        assertEquals(1, Bpf.attachedDevicePrograms(dir));
        String probe = "if echo x > /dev/null; then echo null-ok; fi; "
                + "if head -c1 /dev/zero > /dev/null; then echo zero-ok; else echo zero-denied; fi";
        Process p = support.startIn(cg, probe);
        CgroupTestSupport.await(p);
        String out = CgroupTestSupport.stdout(p);
        assertTrue(out.contains("null-ok") && out.contains("zero-denied"), out);

        // A live update replaces the program: one attached, the new rules in force.
        cg.update(new Resources(List.of(new Resources.DeviceRule(true, "a", null, null, "rwm")),
                null, null, null, null, null, null, null, null));
        assertEquals(1, Bpf.attachedDevicePrograms(dir));
        Process q = support.startIn(cg, probe);
        CgroupTestSupport.await(q);
        out = CgroupTestSupport.stdout(q);
        assertTrue(out.contains("null-ok") && out.contains("zero-ok"), out);
    }

    @Test
    void signalAllWhileFrozen() throws Exception {
        cg.create(null);
        Process p = support.startIn(cg, "exec sleep 30");
        eventually(() -> cg.pids().size() == 1, "the sleep");
        cg.signalAll(9);
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue());
        assertEquals(FreezerState.THAWED, cg.state());
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] v = System.getProperty("os.version").split("[.-]");
        int a = Integer.parseInt(v[0]);
        int b = Integer.parseInt(v[1]);
        return a > major || (a == major && b >= minor);
    }
}
