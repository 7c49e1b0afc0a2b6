package io.jctr.plugins.runtime.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CgroupLayoutTest {

    private static final String HYBRID_MOUNTS = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct
            34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset,clone_children
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate
            99 35 0:32 /x /mnt/again rw,relatime - cgroup cgroup rw,memory
            """;
    private static final String HYBRID_SELF = """
            9:name=systemd:/user.slice
            4:memory:/process_api/abc
            3:cpuset:/
            1:cpu,cpuacct:/
            0::/user.slice/u
            """;

    @Test
    void hybridHostHasV1HierarchiesInMountOrderAndTheEmptyCgroup2() {
        CgroupLayout l = CgroupLayout.parse(HYBRID_MOUNTS, HYBRID_SELF);
        assertEquals(CgroupLayout.Mode.HYBRID, l.mode());
        assertEquals(List.of("cpu,cpuacct", "cpuset", "memory", "systemd"),
                l.hierarchies().stream().map(CgroupLayout.Hierarchy::name).toList());
        assertEquals(Set.of("cpu", "cpuacct"), l.hierarchy("cpuacct").controllers());
        assertEquals(Set.of("cpuset"), l.hierarchy("cpuset").controllers());
        assertEquals("/process_api/abc", l.hierarchy("memory").ownCgroup());
        assertEquals("/user.slice", l.hierarchy("name=systemd").ownCgroup());
        assertEquals(Path.of("/sys/fs/cgroup/unified"), l.unified().mountPoint());
        assertEquals("/user.slice/u", l.unified().ownCgroup());
        assertNull(l.hierarchy("pids"));
    }

    @Test
    void unifiedAndLegacyHosts() {
        CgroupLayout unified = CgroupLayout.parse(
                "25 20 0:22 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n", "0::/init.scope\n");
        assertEquals(CgroupLayout.Mode.UNIFIED, unified.mode());
        assertEquals(List.of(), unified.hierarchies());
        assertEquals("/init.scope", unified.unified().ownCgroup());
        CgroupLayout legacy = CgroupLayout.parse(
                "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n", "4:memory:/\n");
        assertEquals(CgroupLayout.Mode.LEGACY, legacy.mode());
        assertNull(legacy.unified());
    }

    @Test
    void escapedMountPointsAreDecoded() {
        CgroupLayout l = CgroupLayout.parse(
                "35 31 0:32 / /sys/fs/my\\040cgroup rw - cgroup2 cgroup2 rw\n", "0::/\n");
        assertEquals(Path.of("/sys/fs/my cgroup"), l.unified().mountPoint());
    }

    @Test
    void noCgroupFilesystemIsUnavailable() {
        JctrException e = assertThrows(JctrException.class,
                () -> CgroupLayout.parse("31 23 0:28 / /tmp rw - tmpfs tmpfs rw\n", ""));
        assertEquals(JctrException.Kind.UNAVAILABLE, e.kind());
    }

    @Test
    void thisHostIsDetected() {
        CgroupLayout l = CgroupLayout.detect();
        // Whatever the host, every hierarchy has a mount point and its own cgroup.
        l.hierarchies().forEach(h -> assertEquals('/', h.ownCgroup().charAt(0)));
    }
}
