package io.jctr.plugins.runtime.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * v1 writes of the controllers this host does not mount (hugetlb, net_cls, net_prio, rdma) and
 * of files that need no kernel to check, into directories imitating cgroupfs.
 */
class LegacyResourcesTest {

    @TempDir
    Path root;

    private Path controller(String name, String... files) throws IOException {
        Path d = Files.createDirectories(root.resolve(name));
        for (String f : files) {
            Files.writeString(d.resolve(f), "");
        }
        return d;
    }

    @Test
    void hugetlbNetworkRdma() throws IOException {
        Path hugetlb = controller("hugetlb", "hugetlb.2MB.limit_in_bytes");
        Path netCls = controller("net_cls", "net_cls.classid");
        Path netPrio = controller("net_prio", "net_prio.ifpriomap");
        Path rdma = controller("rdma", "rdma.max");
        Map<String, Path> dirs = Map.of("hugetlb", hugetlb, "net_cls", netCls, "net_prio", netPrio,
                "rdma", rdma);
        new LegacyResources(dirs::get).apply(new Resources(null, null, null, null, null,
                List.of(new Resources.HugepageLimit("2MB", 1L << 30)),
                new Resources.Network(0x100001L, List.of(new Resources.InterfacePriority("eth0", 5))),
                Map.of("mlx5_1", new Resources.Rdma(null, 10L)), null));
        assertEquals("1073741824", Files.readString(hugetlb.resolve("hugetlb.2MB.limit_in_bytes")));
        assertEquals("1048577", Files.readString(netCls.resolve("net_cls.classid")));
        assertEquals("eth0 5", Files.readString(netPrio.resolve("net_prio.ifpriomap")));
        assertEquals("mlx5_1 hca_object=10", Files.readString(rdma.resolve("rdma.max")));
    }

    @Test
    void memoryExtrasRealtimeIdleAndThrottles() throws IOException {
        Path memory = controller("memory", "memory.soft_limit_in_bytes", "memory.swappiness",
                "memory.oom_control");
        Path cpu = controller("cpu", "cpu.rt_period_us", "cpu.rt_runtime_us", "cpu.idle");
        Path blkio = controller("blkio", "blkio.weight", "blkio.throttle.read_iops_device");
        Map<String, Path> dirs = Map.of("memory", memory, "cpu", cpu, "blkio", blkio);
        new LegacyResources(dirs::get).apply(new Resources(null,
                new Resources.Memory(null, 1024L, null, 5L, 6L, 10L, true, null, null),
                new Resources.Cpu(null, null, null, null, 9500L, 1_000_000L, "", "", 1L), null,
                new Resources.BlockIo(300L, null, List.of(), List.of(), List.of(),
                        List.of(new Resources.ThrottleDevice(8, 16, 200)), List.of()),
                null, null, null, null));
        assertEquals("1024", Files.readString(memory.resolve("memory.soft_limit_in_bytes")));
        assertEquals("10", Files.readString(memory.resolve("memory.swappiness")));
        assertEquals("1", Files.readString(memory.resolve("memory.oom_control")));
        assertEquals("1000000", Files.readString(cpu.resolve("cpu.rt_period_us")));
        assertEquals("9500", Files.readString(cpu.resolve("cpu.rt_runtime_us")));
        assertEquals("1", Files.readString(cpu.resolve("cpu.idle")));
        assertEquals("300", Files.readString(blkio.resolve("blkio.weight")));
        assertEquals("8:16 200", Files.readString(blkio.resolve("blkio.throttle.read_iops_device")));
    }

    @Test
    void aSettingWithoutItsControllerIsAFailedPrecondition() {
        JctrException e = assertThrows(JctrException.class, () -> new LegacyResources(c -> null)
                .apply(new Resources(null, null, null, null, null,
                        List.of(new Resources.HugepageLimit("2MB", 1)), null, null, null)));
        assertEquals(JctrException.Kind.FAILED_PRECONDITION, e.kind());
        assertEquals("cgroup: linux.resources.hugepageLimits needs the hugetlb controller, which "
                + "is not mounted: failed precondition", e.getMessage());
        assertEquals(Map.of("hugetlb", "hugepageLimits"), LegacyResources.controllersFor(
                new Resources(null, null, null, null, null,
                        List.of(new Resources.HugepageLimit("2MB", 1)), null, null, null)));
    }

    @Test
    void checksBeforeWriting() {
        assertThrows(JctrException.class, () -> ResourceCheck.check(new Resources(null,
                new Resources.Memory(null, null, null, null, null, 101L, null, null, null), null,
                null, null, null, null, null, null), false));
        JctrException e = assertThrows(JctrException.class, () -> ResourceCheck.check(
                new Resources(null, null, null, null, null, null, null, null,
                        Map.of("memory.max", "1")), false));
        assertEquals("linux.resources.unified: [memory.max]: cgroup v2 files cannot be set on a "
                + "cgroup v1 host (invalid configuration): invalid argument", e.getMessage());
        assertThrows(JctrException.class, () -> ResourceCheck.check(new Resources(null, null,
                null, null, null, List.of(new Resources.HugepageLimit("2M", 1)), null, null, null),
                false));
    }
}
