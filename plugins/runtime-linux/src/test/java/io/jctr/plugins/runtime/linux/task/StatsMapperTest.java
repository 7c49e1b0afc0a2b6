package io.jctr.plugins.runtime.linux.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jctr.plugins.runtime.linux.cgroups.CgroupStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsMapperTest {

    private static final CgroupStats STATS = new CgroupStats(
            new CgroupStats.Cpu(new CgroupStats.CpuUsage(3000, List.of(1000L, 2000L), List.of(), List.of(), 1000, 2000),
                    new CgroupStats.Throttling(5, 1, 7000)),
            new CgroupStats.Memory(10, new CgroupStats.MemoryEntry(-1, 4096, 8192, 0), null, null, null,
                    Map.of("total_rss", 512L)),
            new CgroupStats.Pids(2, 0),
            new CgroupStats.Blkio(List.of(new CgroupStats.BlkioEntry(8, 0, "Read", 99)), List.of()),
            Map.of("2MB", new CgroupStats.Hugetlb(1, 2, 3)));

    @Test
    void v1KeysFollowContainerdsProto() {
        Map<String, Long> v = StatsMapper.map(STATS, 1, Instant.EPOCH).values();
        assertEquals(3000L, v.get("cpu.usage.total"));
        assertEquals(2000L, v.get("cpu.usage.per_cpu[1]"));
        assertEquals(1L, v.get("cpu.throttling.throttled_periods"));
        assertEquals(4096L, v.get("memory.usage.usage"));
        assertEquals(-1L, v.get("memory.usage.limit"));
        assertEquals(512L, v.get("memory.total_rss"));
        assertEquals(2L, v.get("pids.current"));
        assertEquals(99L, v.get("blkio.io_service_bytes_recursive[8:0,Read].value"));
        assertEquals(3L, v.get("hugetlb[2MB].failcnt"));
        assertFalse(v.containsKey("memory.swap.usage"), "absent, not zero");
    }

    @Test
    void v2KeysUseMicroseconds() {
        Map<String, Long> v = StatsMapper.map(STATS, 2, Instant.EPOCH).values();
        assertEquals(3L, v.get("cpu.usage_usec"));
        assertEquals(7L, v.get("cpu.throttled_usec"));
        assertEquals(4096L, v.get("memory.usage"));
        assertEquals(2L, v.get("pids.current"));
    }
}
