package io.jctr.plugins.runtime.linux.cgroups;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Reads a container's statistics from its cgroup v1 directories. Stateless. */
final class LegacyStats {

    /** USER_HZ, the unit of {@code cpuacct.stat}; 100 on every Linux architecture jctr runs on. */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    private LegacyStats() {
    }

    /** @param dirs the container's directory for a controller, {@code null} when not mounted */
    static CgroupStats read(Function<String, Path> dirs) {
        return new CgroupStats(cpu(dirs.apply("cpuacct"), dirs.apply("cpu")),
                memory(dirs.apply("memory")), pids(dirs.apply("pids")), blkio(dirs.apply("blkio")),
                hugetlb(dirs.apply("hugetlb")));
    }

    private static CgroupStats.Cpu cpu(Path acct, Path cpu) {
        Map<String, Long> ticks = StatFiles.keyValues(acct, "cpuacct.stat");
        CgroupStats.CpuUsage usage = new CgroupStats.CpuUsage(
                StatFiles.number(acct, "cpuacct.usage"),
                StatFiles.numbers(acct, "cpuacct.usage_percpu"),
                StatFiles.numbers(acct, "cpuacct.usage_percpu_sys"),
                StatFiles.numbers(acct, "cpuacct.usage_percpu_user"),
                ticks.getOrDefault("system", 0L) * NANOS_PER_TICK,
                ticks.getOrDefault("user", 0L) * NANOS_PER_TICK);
        Map<String, Long> stat = StatFiles.keyValues(cpu, "cpu.stat");
        return new CgroupStats.Cpu(usage, new CgroupStats.Throttling(
                stat.getOrDefault("nr_periods", 0L), stat.getOrDefault("nr_throttled", 0L),
                stat.getOrDefault("throttled_time", 0L)));
    }

    private static CgroupStats.Memory memory(Path d) {
        Map<String, Long> raw = StatFiles.keyValues(d, "memory.stat");
        return new CgroupStats.Memory(raw.getOrDefault("cache", 0L), entry(d, "memory"),
                entry(d, "memory.memsw"), entry(d, "memory.kmem"), entry(d, "memory.kmem.tcp"),
                raw);
    }

    private static CgroupStats.MemoryEntry entry(Path d, String prefix) {
        if (d == null || !CgroupFiles.exists(d, prefix + ".usage_in_bytes")) {
            return CgroupStats.MemoryEntry.EMPTY;
        }
        return new CgroupStats.MemoryEntry(StatFiles.number(d, prefix + ".limit_in_bytes"),
                StatFiles.number(d, prefix + ".usage_in_bytes"),
                StatFiles.number(d, prefix + ".max_usage_in_bytes"),
                StatFiles.number(d, prefix + ".failcnt"));
    }

    private static CgroupStats.Pids pids(Path d) {
        long limit = StatFiles.number(d, "pids.max");
        return new CgroupStats.Pids(StatFiles.number(d, "pids.current"), limit == -1 ? 0 : limit);
    }

    private static CgroupStats.Blkio blkio(Path d) {
        // CFQ's files when present, else the throttle layer's, which count every request.
        List<CgroupStats.BlkioEntry> bytes = StatFiles.blkio(d, "blkio.io_service_bytes_recursive");
        List<CgroupStats.BlkioEntry> ios = StatFiles.blkio(d, "blkio.io_serviced_recursive");
        if (bytes.isEmpty() && ios.isEmpty()) {
            bytes = StatFiles.blkio(d, "blkio.throttle.io_service_bytes_recursive");
            ios = StatFiles.blkio(d, "blkio.throttle.io_serviced_recursive");
        }
        return new CgroupStats.Blkio(bytes, ios);
    }

    private static Map<String, CgroupStats.Hugetlb> hugetlb(Path d) {
        Map<String, CgroupStats.Hugetlb> out = new LinkedHashMap<>();
        for (String size : pageSizes(d, ".limit_in_bytes")) {
            String p = "hugetlb." + size;
            out.put(size, new CgroupStats.Hugetlb(StatFiles.number(d, p + ".usage_in_bytes"),
                    StatFiles.number(d, p + ".max_usage_in_bytes"),
                    StatFiles.number(d, p + ".failcnt")));
        }
        return out;
    }

    /** The page sizes named by {@code hugetlb.<size><suffix>} files in {@code d}. */
    static List<String> pageSizes(Path d, String suffix) {
        List<String> sizes = new ArrayList<>();
        if (d == null) {
            return sizes;
        }
        try (var files = Files.list(d)) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("hugetlb.") && n.endsWith(suffix)
                            && !n.contains(".rsvd."))
                    .map(n -> n.substring("hugetlb.".length(), n.length() - suffix.length()))
                    .filter(s -> ResourceCheck.PAGE_SIZE.matcher(s).matches())
                    .sorted()
                    .forEach(sizes::add);
        } catch (java.io.IOException e) {
            return sizes;
        }
        return sizes;
    }
}
