package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.cgroups.CgroupStats;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the runtime's cgroup statistics into the SPI's flat keys, named after containerd's
 * {@code io.containerd.cgroups.v1.Metrics} or {@code v2.Metrics} protos (see
 * {@link io.jctr.spi.metrics.CgroupStats}). Statistics the host did not provide are left out.
 */
final class StatsMapper {

    private StatsMapper() {
    }

    static io.jctr.spi.metrics.CgroupStats map(CgroupStats s, int version, Instant at) {
        Map<String, Long> v = new HashMap<>();
        if (version == 1) {
            v1(s, v);
        } else {
            v2(s, v);
        }
        return new io.jctr.spi.metrics.CgroupStats(at, version, v);
    }

    private static void v1(CgroupStats s, Map<String, Long> v) {
        if (s.cpu() != null && s.cpu().usage() != null) {
            CgroupStats.CpuUsage u = s.cpu().usage();
            v.put("cpu.usage.total", u.total());
            v.put("cpu.usage.kernel", u.kernel());
            v.put("cpu.usage.user", u.user());
            List<Long> per = u.percpu();
            for (int i = 0; i < per.size(); i++) {
                v.put("cpu.usage.per_cpu[" + i + "]", per.get(i));
            }
        }
        if (s.cpu() != null && s.cpu().throttling() != null) {
            CgroupStats.Throttling t = s.cpu().throttling();
            v.put("cpu.throttling.periods", t.periods());
            v.put("cpu.throttling.throttled_periods", t.throttledPeriods());
            v.put("cpu.throttling.throttled_time", t.throttledTime());
        }
        if (s.memory() != null) {
            CgroupStats.Memory m = s.memory();
            // memory.stat's keys are the proto's field names (cache, rss, total_rss, ...).
            m.raw().forEach((k, value) -> v.put("memory." + k, value));
            entry(v, "memory.usage", m.usage());
            entry(v, "memory.swap", m.swap());
            entry(v, "memory.kernel", m.kernel());
            entry(v, "memory.kernel_tcp", m.kernelTcp());
        }
        if (s.pids() != null) {
            v.put("pids.current", s.pids().current());
            v.put("pids.limit", s.pids().limit());
        }
        if (s.blkio() != null) {
            blkio(v, "blkio.io_service_bytes_recursive", s.blkio().ioServiceBytesRecursive());
            blkio(v, "blkio.io_serviced_recursive", s.blkio().ioServicedRecursive());
        }
        s.hugetlb().forEach((size, h) -> {
            v.put("hugetlb[" + size + "].usage", h.usage());
            v.put("hugetlb[" + size + "].max", h.max());
            v.put("hugetlb[" + size + "].failcnt", h.failcnt());
        });
    }

    private static void v2(CgroupStats s, Map<String, Long> v) {
        if (s.cpu() != null && s.cpu().usage() != null) {
            CgroupStats.CpuUsage u = s.cpu().usage();
            v.put("cpu.usage_usec", u.total() / 1000);
            v.put("cpu.user_usec", u.user() / 1000);
            v.put("cpu.system_usec", u.kernel() / 1000);
        }
        if (s.cpu() != null && s.cpu().throttling() != null) {
            CgroupStats.Throttling t = s.cpu().throttling();
            v.put("cpu.nr_periods", t.periods());
            v.put("cpu.nr_throttled", t.throttledPeriods());
            v.put("cpu.throttled_usec", t.throttledTime() / 1000);
        }
        if (s.memory() != null) {
            CgroupStats.Memory m = s.memory();
            m.raw().forEach((k, value) -> v.put("memory." + k, value));
            if (m.usage() != null) {
                v.put("memory.usage", m.usage().usage());
                v.put("memory.usage_limit", m.usage().limit());
                v.put("memory.max_usage", m.usage().max());
            }
            if (m.swap() != null && m.usage() != null) {
                // runc reports swap as memory plus swap on v2
                v.put("memory.swap_usage", Math.max(0, m.swap().usage() - m.usage().usage()));
                v.put("memory.swap_limit", m.swap().limit());
            }
        }
        if (s.pids() != null) {
            v.put("pids.current", s.pids().current());
            v.put("pids.limit", s.pids().limit());
        }
    }

    private static void entry(Map<String, Long> v, String prefix, CgroupStats.MemoryEntry e) {
        if (e == null) {
            return;
        }
        v.put(prefix + ".limit", e.limit());
        v.put(prefix + ".usage", e.usage());
        v.put(prefix + ".max", e.max());
        v.put(prefix + ".failcnt", e.failcnt());
    }

    private static void blkio(Map<String, Long> v, String prefix, List<CgroupStats.BlkioEntry> entries) {
        for (CgroupStats.BlkioEntry e : entries) {
            v.put(prefix + "[" + e.major() + ":" + e.minor() + "," + e.op() + "].value", e.value());
        }
    }
}
