package io.jctr.plugins.runtime.linux.cgroups;

import static io.jctr.plugins.runtime.linux.cgroups.CgroupTestSupport.await;
import static io.jctr.plugins.runtime.linux.cgroups.CgroupTestSupport.eventually;
import static io.jctr.plugins.runtime.linux.cgroups.CgroupTestSupport.stderr;
import static io.jctr.plugins.runtime.linux.cgroups.CgroupTestSupport.stdout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jctr.plugins.runtime.linux.plan.PlanOptions.CgroupMountSource;
import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.spi.JctrException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The v1 manager against this host's real v1 hierarchies, with real processes. */
@Tag("root")
class LegacyCgroupTest {

    private static final long MB = 1024 * 1024;

    private CgroupManager manager;
    private CgroupTestSupport support;
    private String name;

    @BeforeEach
    void setUp() {
        assumeTrue(CgroupTestSupport.isRoot(), "needs root");
        CgroupLayout layout = CgroupLayout.detect();
        assumeTrue(layout.mode() != CgroupLayout.Mode.UNIFIED, "needs cgroup v1");
        assumeTrue(layout.hierarchy("memory") != null && layout.hierarchy("freezer") != null
                && layout.hierarchy("devices") != null, "needs memory, freezer, devices");
        manager = new CgroupManager(layout, "/jctr-test");
        support = new CgroupTestSupport();
        name = CgroupTestSupport.uniqueName();
    }

    @AfterEach
    void tearDown() {
        if (support != null) {
            support.close();
        }
    }

    private ContainerCgroup cgroup(Resources r) {
        ContainerCgroup cg = support.track(manager.open("c", "/" + name));
        cg.create(r);
        return cg;
    }

    private Path dir(ContainerCgroup cg, String controller) {
        return ((LegacyCgroup) cg).dir(controller);
    }

    private static String read(Path dir, String file) throws Exception {
        return Files.readString(dir.resolve(file)).strip();
    }

    private static Resources resources(Resources.Memory m, Resources.Cpu c, Resources.Pids p,
            List<Resources.DeviceRule> devices) {
        return new Resources(devices, m, c, p, null, null, null, null, null);
    }

    private static Resources.Memory memory(Long limit, Long swap) {
        return new Resources.Memory(limit, null, swap, null, null, null, null, null, null);
    }

    private static Resources.Cpu cpu(Long shares, Long quota, Long period, String cpus) {
        return new Resources.Cpu(shares, quota, null, period, null, null, cpus, null, null);
    }

    @Test
    void createMakesEveryHierarchyAndReturnsJoinFilesAndMountSource() {
        ContainerCgroup cg = support.track(manager.open("c", "/" + name));
        ContainerCgroup.Created created = cg.create(null);
        CgroupLayout layout = manager.layout();
        int expected = layout.hierarchies().size() + (layout.unified() != null ? 1 : 0);
        assertEquals(expected, created.procsFiles().size());
        for (Path procs : created.procsFiles()) {
            assertTrue(Files.isRegularFile(procs), procs.toString());
            assertTrue(procs.toString().endsWith("/" + name + "/cgroup.procs"), procs.toString());
        }
        CgroupMountSource.Legacy source = assertInstanceOf(CgroupMountSource.Legacy.class,
                created.mountSource());
        assertEquals(layout.hierarchies().size(), source.hierarchies().size());
        CgroupMountSource.Hierarchy memory = source.hierarchies().stream()
                .filter(h -> h.name().equals("memory")).findFirst().orElseThrow();
        assertEquals(layout.hierarchy("memory").mountPoint().resolve(name).toString(),
                memory.hostPath());
        assertEquals(layout.hierarchy("name=systemd") != null, cg.paths().containsKey("name=systemd"));
        assertEquals(layout.unified() != null, cg.paths().containsKey(""));
        assertEquals(layout.hierarchy("memory").mountPoint().resolve(name), cg.paths().get("memory"));
    }

    @Test
    void memoryLimitOomKillsTheProcessAndTheWatchFires() throws Exception {
        // memsw too, so that a host with swap cannot page dd out instead of killing it.
        ContainerCgroup cg = cgroup(resources(memory(32 * MB, 32 * MB), null, null, List.of()));
        assertEquals(Long.toString(32 * MB), read(dir(cg, "memory"), "memory.limit_in_bytes"));
        try (OomWatch watch = cg.watchOom()) {
            assertEquals(OomWatch.Event.TIMEOUT, watch.await(Duration.ofMillis(50)));
            Process p = support.startIn(cg, "exec dd if=/dev/zero of=/dev/null bs=200M count=1");
            await(p);
            assertEquals(137, p.exitValue(), "dd should die of SIGKILL");
            assertEquals(OomWatch.Event.OOM, watch.await(Duration.ofSeconds(10)));
        }
        CgroupStats.Memory stats = cg.stats().memory();
        // (failcnt is not asserted: Linux 6.18 counts none when memsw is limited too)
        assertEquals(32 * MB, stats.usage().max());
        assertEquals(32 * MB, stats.swap().limit());
        assertEquals(32 * MB, stats.usage().limit());
    }

    @Test
    void oomListenerCallsBackAndStopsWhenTheCgroupGoes() throws Exception {
        ContainerCgroup cg = cgroup(resources(memory(32 * MB, 32 * MB), null, null, List.of()));
        java.util.concurrent.CountDownLatch oom = new java.util.concurrent.CountDownLatch(1);
        try (OomListener listener = OomListener.start(cg, oom::countDown)) {
            await(support.startIn(cg, "exec dd if=/dev/zero of=/dev/null bs=200M count=1"));
            assertTrue(oom.await(10, java.util.concurrent.TimeUnit.SECONDS), "no callback");
            cg.destroy(true);
            eventually(() -> !listener.isAlive(), "the listener to stop");
        }
    }

    @Test
    void checkBeforeUpdateRefusesALimitBelowUsage() throws Exception {
        ContainerCgroup cg = cgroup(resources(memory(256 * MB, null), null, null, List.of()));
        support.startIn(cg, "exec sleep 30");
        eventually(() -> cg.stats().memory().usage().usage() > 4096, "some usage");
        Resources tooLow = resources(new Resources.Memory(4096L, null, null, null, null, null,
                null, null, true), null, null, List.of());
        JctrException e = assertThrows(JctrException.class, () -> cg.update(tooLow));
        assertTrue(e.getMessage().contains("is below the current usage"), e.getMessage());
        assertEquals(Long.toString(256 * MB), read(dir(cg, "memory"), "memory.limit_in_bytes"));
    }

    @Test
    void relativePathsAreBelowTheRuntimesOwnCgroup() throws Exception {
        ContainerCgroup cg = support.track(manager.open("c", name));
        cg.create(null);
        CgroupLayout.Hierarchy memory = manager.layout().hierarchy("memory");
        String own = memory.ownCgroup().equals("/") ? "" : memory.ownCgroup();
        assertEquals(Path.of(memory.mountPoint() + own).resolve(name), dir(cg, "memory"));
        assertTrue(Files.isDirectory(dir(cg, "memory")));
    }

    @Test
    void oomWatchReportsTheCgroupsRemoval() throws Exception {
        ContainerCgroup cg = cgroup(resources(memory(64 * MB, null), null, null, List.of()));
        try (OomWatch watch = cg.watchOom()) {
            cg.destroy(false);
            assertEquals(OomWatch.Event.CGROUP_REMOVED, watch.await(Duration.ofSeconds(5)));
        }
    }

    @Test
    void pidsLimitMakesForkFail() throws Exception {
        ContainerCgroup cg = cgroup(resources(null, null, new Resources.Pids(4), List.of()));
        assertEquals("4", read(dir(cg, "pids"), "pids.max"));
        Process p = support.startIn(cg,
                "for i in 1 2 3 4 5 6 7 8; do sleep 30 & done; echo spawned; wait");
        eventually(() -> !p.isAlive() || cg.pids().size() >= 4, "4 tasks");
        Thread.sleep(200); // a window for forks beyond the limit to show up (proving a negative)
        assertTrue(cg.pids().size() <= 4, "pids " + cg.pids());
        assertEquals(4, cg.stats().pids().limit());
        assertTrue(cg.stats().pids().current() <= 4);
        cg.destroy(true);
        assertFalse(cg.exists());
        String err = stderr(p);
        assertTrue(err.contains("fork"), "stderr: " + err);
    }

    @Test
    void cpuSharesQuotaAndPeriodFiles() throws Exception {
        ContainerCgroup cg = cgroup(resources(null, cpu(512L, 50_000L, 100_000L, ""), null,
                List.of()));
        Path cpu = dir(cg, "cpu");
        assertEquals("512", read(cpu, "cpu.shares"));
        assertEquals("50000", read(cpu, "cpu.cfs_quota_us"));
        assertEquals("100000", read(cpu, "cpu.cfs_period_us"));
    }

    @Test
    void cpuSharesOutOfRangeAreRejectedAndNothingStays() {
        ContainerCgroup cg = support.track(manager.open("c", "/" + name));
        JctrException e = assertThrows(JctrException.class,
                () -> cg.create(resources(null, cpu(1L << 40, null, null, ""), null, List.of())));
        assertTrue(e.getMessage().contains("cpu.shares: 1099511627776 is out of range"),
                e.getMessage());
        assertFalse(cg.exists());
    }

    @Test
    void cpusetIsInheritedFromTheParentAndSetFromTheSpec() throws Exception {
        Path root = manager.layout().hierarchy("cpuset").mountPoint();
        ContainerCgroup nested = support.track(manager.open("c", "/" + name + "/inner"));
        support.track(manager.open("c", "/" + name));
        nested.create(null);
        Path inner = dir(nested, "cpuset");
        assertEquals(read(root, "cpuset.cpus"), read(inner.getParent(), "cpuset.cpus"));
        assertEquals(read(root, "cpuset.cpus"), read(inner, "cpuset.cpus"));
        assertEquals(read(root, "cpuset.mems"), read(inner, "cpuset.mems"));
        nested.update(resources(null, cpu(null, null, null, "0"), null, List.of()));
        assertEquals("0", read(inner, "cpuset.cpus"));
    }

    @Test
    void devicesDenyAllThenAllowDevNullOnly() throws Exception {
        List<Resources.DeviceRule> rules = List.of(
                new Resources.DeviceRule(false, "", null, null, "rwm"),
                new Resources.DeviceRule(true, "c", 1L, 3L, "rwm"));
        ContainerCgroup cg = cgroup(resources(null, null, null, rules));
        assertEquals("c 1:3 rwm", read(dir(cg, "devices"), "devices.list"));
        Process p = support.startIn(cg, "if echo x > /dev/null; then echo null-ok; fi; "
                + "if head -c1 /dev/zero > /dev/null; then echo zero-ok; else echo zero-denied; fi");
        await(p);
        String out = stdout(p);
        assertTrue(out.contains("null-ok"), out);
        assertTrue(out.contains("zero-denied"), out);
        assertTrue(stderr(p).contains("Operation not permitted"));

        // Live: add /dev/zero read-only, drop nothing; the list shows both.
        cg.update(resources(null, null, null, List.of(rules.get(0), rules.get(1),
                new Resources.DeviceRule(true, "c", 1L, 5L, "r"))));
        assertEquals("c 1:3 rwm\nc 1:5 r", read(dir(cg, "devices"), "devices.list"));
        Process q = support.startIn(cg, "head -c1 /dev/zero > /dev/null && echo zero-ok");
        await(q);
        assertTrue(stdout(q).contains("zero-ok"));
    }

    @Test
    void freezeStopsProgressAndThawResumesIt() throws Exception {
        ContainerCgroup cg = cgroup(null);
        support.startIn(cg, "while :; do :; done");
        assertEquals(FreezerState.THAWED, cg.state());
        Thread.sleep(100); // let the loop accumulate cpu time before the freeze
        cg.freeze();
        assertEquals(FreezerState.FROZEN, cg.state());
        long frozenAt = cg.stats().cpu().usage().total();
        Thread.sleep(300); // a window in which a frozen task must not use cpu (proving a negative)
        assertEquals(frozenAt, cg.stats().cpu().usage().total(), "cpu time while frozen");
        cg.thaw();
        assertEquals(FreezerState.THAWED, cg.state());
        eventually(() -> cg.stats().cpu().usage().total() > frozenAt, "progress after thaw");
    }

    @Test
    void updateChangesLimitsLiveInBothDirections() throws Exception {
        ContainerCgroup cg = cgroup(resources(memory(64 * MB, 64 * MB), null,
                new Resources.Pids(10), List.of()));
        support.startIn(cg, "sleep 30");
        Path mem = dir(cg, "memory");
        // Growing: memsw first, else the kernel refuses limit > memsw.
        cg.update(resources(memory(128 * MB, 256 * MB), null, new Resources.Pids(20), List.of()));
        assertEquals(Long.toString(128 * MB), read(mem, "memory.limit_in_bytes"));
        assertEquals(Long.toString(256 * MB), read(mem, "memory.memsw.limit_in_bytes"));
        assertEquals("20", read(dir(cg, "pids"), "pids.max"));
        // Shrinking: limit first, else memsw < limit.
        cg.update(resources(memory(32 * MB, 48 * MB), null, null, List.of()));
        assertEquals(Long.toString(32 * MB), read(mem, "memory.limit_in_bytes"));
        assertEquals(Long.toString(48 * MB), read(mem, "memory.memsw.limit_in_bytes"));
        cg.update(resources(memory(0L, 0L), null, null, List.of())); // 0 is unset
        assertEquals(Long.toString(32 * MB), read(mem, "memory.limit_in_bytes"));
        cg.update(resources(memory(-1L, null), null, new Resources.Pids(-1), List.of()));
        assertEquals("max", read(dir(cg, "pids"), "pids.max"));
        assertNotEquals(Long.toString(32 * MB), read(mem, "memory.limit_in_bytes"));
        JctrException e = assertThrows(JctrException.class,
                () -> cg.update(resources(memory(64 * MB, 32 * MB), null, null, List.of())));
        assertTrue(e.getMessage().startsWith("cgroup: writing \"memory."), e.getMessage());
    }

    @Test
    void statsReportPlausibleNumbers() throws Exception {
        ContainerCgroup cg = cgroup(resources(memory(256 * MB, null), null,
                new Resources.Pids(50), List.of()));
        support.startIn(cg, "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 30");
        eventually(() -> cg.stats().cpu().usage().total() > 1_000_000, "1 ms of cpu");
        CgroupStats s = cg.stats();
        assertTrue(s.cpu().usage().percpu().stream().mapToLong(Long::longValue).sum() > 0);
        assertEquals(Runtime.getRuntime().availableProcessors() > 0, !s.cpu().usage().percpu().isEmpty());
        assertTrue(s.memory().usage().usage() > 0);
        assertEquals(256 * MB, s.memory().usage().limit());
        assertTrue(s.memory().raw().containsKey("rss"));
        assertTrue(s.pids().current() >= 1);
        assertEquals(50, s.pids().limit());
    }

    @Test
    void pidsListsNestedCgroupsAndDestroyKillsEverything() throws Exception {
        ContainerCgroup cg = cgroup(null);
        ContainerCgroup child = manager.open("c", "/" + name + "/sub");
        child.create(null);
        Process a = support.startIn(cg, "exec sleep 30");
        Process b = support.startIn(child, "exec sleep 30");
        eventually(() -> cg.pids().size() == 2, "two processes, got " + cg.pids());
        assertTrue(cg.pids().containsAll(List.of(a.pid(), b.pid())));
        cg.destroy(true);
        assertFalse(cg.exists());
        assertFalse(child.exists());
        assertTrue(a.waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
        cg.destroy(true); // idempotent
    }

    @Test
    void signalAllReachesEveryProcess() throws Exception {
        ContainerCgroup cg = cgroup(null);
        // The trap reaps the (also signalled) sleeps before the shell exits: orphaned, they would
        // go to pid 1, which in some sandboxes never reaps, and stay listed as zombies.
        Process p = support.startIn(cg, "trap 'echo got-term; wait; exit 0' TERM; "
                + "sleep 30 & sleep 30 & while :; do sleep 0.05; done");
        eventually(() -> cg.pids().size() >= 4, "shell and sleeps");
        cg.signalAll(15);
        await(p);
        assertTrue(stdout(p).contains("got-term"));
        eventually(() -> cg.pids().isEmpty(), "every process gone");
        assertEquals(FreezerState.THAWED, cg.state());
    }

    @Test
    void destroyAfterProcessesWereKilled() throws Exception {
        ContainerCgroup cg = cgroup(resources(memory(64 * MB, null), null, null, List.of()));
        // exec: the killed shell must be the cgroup's only process; a forked sleep would outlive
        // it (depending on whether the shell got to start it) and keep the cgroup busy.
        Process p = support.startIn(cg, "exec sleep 30");
        p.destroyForcibly();
        await(p);
        cg.destroy(false);
        for (Map.Entry<String, Path> e : cg.paths().entrySet()) {
            assertFalse(Files.exists(e.getValue()), e.getKey());
        }
    }

    @Test
    void badInputIsRejectedAndNothingIsCreated() {
        Path memoryRoot = manager.layout().hierarchy("memory").mountPoint();
        assertMessage(() -> manager.open("c", "/" + name + "/../escape"),
                "cgroupsPath \"/" + name + "/../escape\": \"..\" is not allowed");
        assertMessage(() -> manager.open("c", "system.slice:jctr:" + name),
                "systemd cgroup driver is not supported");
        ContainerCgroup cg = support.track(manager.open("c", "/" + name));
        assertMessage(() -> cg.create(resources(memory(-5L, null), null, null, List.of())),
                "linux.resources.memory.limit: -5 is invalid");
        assertMessage(() -> cg.create(resources(null, cpu(null, null, null, "garbage"), null,
                List.of())), "linux.resources.cpu.cpus: \"garbage\" is not a list");
        // Valid syntax the kernel refuses: written, refused, rolled back.
        assertMessage(() -> cg.create(resources(null, cpu(null, null, null, "0-4095"), null,
                List.of())), "cgroup: writing \"cpuset.cpus\" = 0-4095");
        assertMessage(() -> cg.create(resources(null, null, null, List.of(
                new Resources.DeviceRule(true, "x", null, null, "rwm")))),
                "type \"x\" is invalid");
        assertFalse(cg.exists());
        assertFalse(Files.exists(memoryRoot.resolve(name)));
    }

    private static void assertMessage(Runnable r, String expected) {
        JctrException e = assertThrows(JctrException.class, r::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
