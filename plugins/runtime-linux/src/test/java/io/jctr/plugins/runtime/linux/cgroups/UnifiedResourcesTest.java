package io.jctr.plugins.runtime.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.plugins.runtime.linux.plan.PlanOptions.CgroupMountSource;
import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v1-to-v2 translation, as file writes into a directory that imitates cgroupfs. */
class UnifiedResourcesTest {

    /** The interface files of a v2 cgroup with cpu, cpuset, memory, pids, io, hugetlb. */
    private static final List<String> FILES = List.of("cgroup.procs", "cgroup.controllers",
            "cgroup.subtree_control", "memory.max", "memory.swap.max", "memory.low",
            "memory.high", "cpu.weight", "cpu.max", "cpu.max.burst", "cpu.idle", "cpuset.cpus",
            "cpuset.mems", "pids.max", "io.weight", "io.max", "hugetlb.2MB.max", "rdma.max");

    @TempDir
    Path root;
    private Path dir;

    @BeforeEach
    void tree() throws IOException {
        dir = root.resolve("jctr/c1");
        for (Path d : List.of(root, root.resolve("jctr"), dir)) {
            Files.createDirectories(d);
            for (String f : FILES) {
                Files.writeString(d.resolve(f), "");
            }
            Files.writeString(d.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        }
    }

    private String file(String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }

    private void apply(Resources r) {
        new UnifiedResources(dir).apply(r);
    }

    private static Resources of(Resources.Memory m, Resources.Cpu c) {
        return new Resources(null, m, c, null, null, null, null, null, null);
    }

    private static Resources.Memory memory(Long limit, Long reservation, Long swap) {
        return new Resources.Memory(limit, reservation, swap, 1L, 2L, null, null, null, null);
    }

    @Test
    void memoryAndSwapAreConvertedLikeRunc() throws IOException {
        apply(of(memory(100L, 50L, 300L), null));
        assertEquals("100", file("memory.max"));
        assertEquals("50", file("memory.low"));
        assertEquals("200", file("memory.swap.max"));
        apply(of(memory(-1L, null, null), null));
        assertEquals("max", file("memory.max"));
        assertEquals("max", file("memory.swap.max"));
        apply(of(memory(100L, null, 100L), null));
        assertEquals("0", file("memory.swap.max"));
    }

    @Test
    void swapConversionEdgeCases() {
        assertEquals(-1L, UnifiedResources.swapMax(-1L, null));
        assertEquals(-1L, UnifiedResources.swapMax(100L, -1L));
        assertNull(UnifiedResources.swapMax(100L, null));
        assertEquals(900L, UnifiedResources.swapMax(100L, 1000L));
        JctrException e = assertThrows(JctrException.class,
                () -> UnifiedResources.swapMax(null, 1000L));
        assertEquals("linux.resources.memory.swap: 1000 needs a memory limit on cgroup v2: "
                + "invalid argument", e.getMessage());
        assertThrows(JctrException.class, () -> UnifiedResources.swapMax(1000L, 10L));
    }

    @Test
    void cpuSharesBecomeWeightAndQuotaBecomesCpuMax() throws IOException {
        apply(of(null, new Resources.Cpu(1024L, 50_000L, 1000L, 100_000L, null, null, "0-1", "0",
                null)));
        assertEquals("39", file("cpu.weight"));
        assertEquals("50000 100000", file("cpu.max"));
        assertEquals("1000", file("cpu.max.burst"));
        assertEquals("0-1", file("cpuset.cpus"));
        assertEquals("0", file("cpuset.mems"));
        apply(of(null, new Resources.Cpu(null, -1L, null, null, null, null, "", "", null)));
        assertEquals("max", file("cpu.max"));
        apply(of(null, new Resources.Cpu(null, null, null, 20_000L, null, null, "", "", null)));
        assertEquals("max 20000", file("cpu.max"));
    }

    @Test
    void weightConversions() {
        assertEquals(1, UnifiedResources.cpuWeight(2));
        assertEquals(39, UnifiedResources.cpuWeight(1024));
        assertEquals(10000, UnifiedResources.cpuWeight(262144));
        assertEquals(0, UnifiedResources.cpuWeight(0));
        assertEquals(1, UnifiedResources.ioWeight(10));
        assertEquals(4950, UnifiedResources.ioWeight(500));
        assertEquals(10000, UnifiedResources.ioWeight(1000));
    }

    @Test
    void idleSkipsTheWeight() throws IOException {
        apply(of(null, new Resources.Cpu(1024L, null, null, null, null, null, "", "", 1L)));
        assertEquals("1", file("cpu.idle"));
        assertEquals("", file("cpu.weight"));
    }

    @Test
    void pidsIoHugetlbRdma() throws IOException {
        Resources r = new Resources(null, null, null, new Resources.Pids(-1),
                new Resources.BlockIo(500L, 300L, List.of(), List.of(),
                        List.of(new Resources.ThrottleDevice(8, 0, 1048576)), List.of(),
                        List.of()),
                List.of(new Resources.HugepageLimit("2MB", 4194304)), null,
                Map.of("mlx4_0", new Resources.Rdma(2L, 2000L)), null);
        apply(r);
        assertEquals("max", file("pids.max"));
        assertEquals("default 4950", file("io.weight"));
        assertEquals("8:0 wbps=1048576", file("io.max"));
        assertEquals("4194304", file("hugetlb.2MB.max"));
        assertEquals("mlx4_0 hca_handle=2 hca_object=2000", file("rdma.max"));
    }

    @Test
    void unifiedKeysAreWrittenLastAndOverride() throws IOException {
        Resources r = new Resources(null, memory(100L, null, null), null, null, null, null, null,
                null, Map.of("memory.max", "200", "memory.high", "150"));
        apply(r);
        assertEquals("200", file("memory.max"));
        assertEquals("150", file("memory.high"));
    }

    @Test
    void whatV2CannotExpressIsRejected() {
        assertKind(of(null, new Resources.Cpu(null, null, null, null, 1000L, 10000L, "", "", null)),
                JctrException.Kind.INVALID_ARGUMENT, "realtimeRuntime and realtimePeriod");
        assertKind(new Resources(null, null, null, null, null, null,
                new Resources.Network(1L, null), null, null), JctrException.Kind.INVALID_ARGUMENT,
                "net_cls and net_prio do not exist on cgroup v2");
        assertKind(new Resources(null, null, null, null, null, null, null, null,
                Map.of("../../etc/passwd", "x")), JctrException.Kind.INVALID_ARGUMENT,
                "is not a cgroup file name");
        assertKind(new Resources(null, null, null, null, null, null, null, null,
                Map.of("cgroup.procs", "1")), JctrException.Kind.INVALID_ARGUMENT,
                "is not a resource setting");
        assertKind(of(null, new Resources.Cpu(300_000L, null, null, null, null, null, "", "",
                null)), JctrException.Kind.INVALID_ARGUMENT, "cpu.shares: 300000 is out of range");
    }

    @Test
    void aMissingFileNamesFileAndValue() throws IOException {
        Files.delete(dir.resolve("pids.max"));
        assertKind(new Resources(null, null, null, new Resources.Pids(5), null, null, null, null,
                null), JctrException.Kind.UNKNOWN,
                "cgroup: writing \"pids.max\" = 5 in " + dir + ": No such file or directory");
    }

    @Test
    void createEnablesControllersOnTheWayAndReturnsTheDirectory() throws IOException {
        UnifiedCgroup cg = new UnifiedCgroup(root, dir);
        ContainerCgroup.Created c = cg.create(new Resources(null, null, null,
                new Resources.Pids(7), null, null, null, null, null));
        assertEquals(List.of(dir.resolve("cgroup.procs")), c.procsFiles());
        assertEquals(dir.toString(),
                assertInstanceOf(CgroupMountSource.Unified.class, c.mountSource()).hostPath());
        assertEquals("+cpuset +cpu +io +memory +pids",
                Files.readString(root.resolve("cgroup.subtree_control")));
        assertEquals("+cpuset +cpu +io +memory +pids",
                Files.readString(root.resolve("jctr/cgroup.subtree_control")));
        assertEquals("", Files.readString(dir.resolve("cgroup.subtree_control")));
        assertEquals("7", file("pids.max"));
        cg.addProcess(42);
        assertEquals("42", file("cgroup.procs"));
    }

    @Test
    void aFailedCreateRemovesWhatItMade() {
        Path fresh = root.resolve("jctr/new/leaf");
        UnifiedCgroup cg = new UnifiedCgroup(root, fresh);
        // A fresh directory here has no interface files, so the write fails.
        assertThrows(JctrException.class, () -> cg.create(new Resources(null, null, null,
                new Resources.Pids(7), null, null, null, null, null)));
        assertFalse(Files.exists(root.resolve("jctr/new")));
        assertTrue(Files.exists(root.resolve("jctr")));
    }

    private void assertKind(Resources r, JctrException.Kind kind, String expected) {
        JctrException e = assertThrows(JctrException.class, () -> apply(r));
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
