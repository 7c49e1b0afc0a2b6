package io.jctr.plugins.runtime.linux.cgroups;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a container's statistics from its cgroup v2 directory, in runc's v1 shape. Stateless. */
final class UnifiedStats {

    /** {@code max} as {@link CgroupFiles#readLong} returns it, reported as 2^64-1 like runc. */
    private static final long UNLIMITED = -1;

    private UnifiedStats() {
    }

    static CgroupStats read(Path d) {
        return new CgroupStats(cpu(d), memory(d), pids(d), io(d), hugetlb(d));
    }

    private static CgroupStats.Cpu cpu(Path d) {
        Map<String, Long> s = StatFiles.keyValues(d, "cpu.stat");
        CgroupStats.CpuUsage usage = new CgroupStats.CpuUsage(
                s.getOrDefault("usage_usec", 0L) * 1000, List.of(), List.of(), List.of(),
                s.getOrDefault("system_usec", 0L) * 1000, s.getOrDefault("user_usec", 0L) * 1000);
        return new CgroupStats.Cpu(usage, new CgroupStats.Throttling(
                s.getOrDefault("nr_periods", 0L), s.getOrDefault("nr_throttled", 0L),
                s.getOrDefault("throttled_usec", 0L) * 1000));
    }

    private static CgroupStats.Memory memory(Path d) {
        Map<String, Long> raw = StatFiles.keyValues(d, "memory.stat");
        Map<String, Long> events = StatFiles.keyValues(d, "memory.events");
        long current = StatFiles.number(d, "memory.current");
        long max = CgroupFiles.exists(d, "memory.max") ? CgroupFiles.readLong(d, "memory.max")
                : UNLIMITED;
        CgroupStats.MemoryEntry usage = new CgroupStats.MemoryEntry(max, current,
                StatFiles.number(d, "memory.peak"), events.getOrDefault("max", 0L));
        CgroupStats.MemoryEntry swap = CgroupStats.MemoryEntry.EMPTY;
        if (CgroupFiles.exists(d, "memory.swap.current")) {
            // runc reports v2 swap as memory+swap, the v1 meaning.
            long swapMax = CgroupFiles.readLong(d, "memory.swap.max");
            swap = new CgroupStats.MemoryEntry(
                    swapMax == UNLIMITED || max == UNLIMITED ? UNLIMITED : swapMax + max,
                    current + StatFiles.number(d, "memory.swap.current"), 0,
                    StatFiles.keyValues(d, "memory.swap.events").getOrDefault("max", 0L));
        }
        return new CgroupStats.Memory(raw.getOrDefault("file", 0L), usage, swap,
                CgroupStats.MemoryEntry.EMPTY, CgroupStats.MemoryEntry.EMPTY, raw);
    }

    private static CgroupStats.Pids pids(Path d) {
        long limit = StatFiles.number(d, "pids.max");
        return new CgroupStats.Pids(StatFiles.number(d, "pids.current"), limit == -1 ? 0 : limit);
    }

    /** {@code io.stat}: {@code 8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0}. */
    private static CgroupStats.Blkio io(Path d) {
        List<CgroupStats.BlkioEntry> bytes = new ArrayList<>();
        List<CgroupStats.BlkioEntry> ios = new ArrayList<>();
        if (CgroupFiles.exists(d, "io.stat")) {
            for (String line : CgroupFiles.read(d, "io.stat").split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 2 || !f[0].contains(":")) {
                    continue;
                }
                String[] mm = f[0].split(":");
                long major = Long.parseLong(mm[0]);
                long minor = Long.parseLong(mm[1]);
                for (int i = 1; i < f.length; i++) {
                    String[] kv = f[i].split("=", 2);
                    if (kv.length != 2) {
                        continue;
                    }
                    long v = CgroupFiles.parseLong(d, "io.stat", kv[1]);
                    String op = kv[0].startsWith("r") ? "Read" : "Write";
                    switch (kv[0]) {
                        case "rbytes", "wbytes" ->
                                bytes.add(new CgroupStats.BlkioEntry(major, minor, op, v));
                        case "rios", "wios" ->
                                ios.add(new CgroupStats.BlkioEntry(major, minor, op, v));
                        default -> {
                        }
                    }
                }
            }
        }
        return new CgroupStats.Blkio(bytes, ios);
    }

    private static Map<String, CgroupStats.Hugetlb> hugetlb(Path d) {
        Map<String, CgroupStats.Hugetlb> out = new LinkedHashMap<>();
        for (String size : LegacyStats.pageSizes(d, ".max")) {
            String p = "hugetlb." + size;
            out.put(size, new CgroupStats.Hugetlb(StatFiles.number(d, p + ".current"), 0,
                    StatFiles.keyValues(d, p + ".events").getOrDefault("max", 0L)));
        }
        return out;
    }
}
