package io.jctr.spi.metrics;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One sample of a container's cgroup statistics.
 *
 * <p><b>Keys</b> are the proto field names of containerd's {@code io.containerd.cgroups.v1.Metrics}
 * (when {@code version} is 1) or {@code io.containerd.cgroups.v2.Metrics} (when it is 2), joined
 * by dots from the message root: {@code pids.current}, {@code cpu.usage.total},
 * {@code memory.usage.usage}, {@code memory.total_rss} (v1); {@code cpu.usage_usec},
 * {@code memory.usage}, {@code memory_events.oom_kill} (v2). An element of a repeated field is
 * selected in brackets by its identifying fields, comma-separated, in proto order:
 * {@code cpu.usage.per_cpu[0]}, {@code hugetlb[2MB].usage},
 * {@code blkio.io_service_bytes_recursive[8:0,Read]} ({@code major:minor,op}),
 * {@code io.usage[8:0].rbytes}, {@code network[eth0].rx_bytes},
 * {@code rdma.current[mlx4_0].hca_handles}. Keys for statistics the host does not provide are
 * absent, not zero.
 *
 * <p><b>Values</b> are unsigned 64-bit integers held in a {@code long} (read them with
 * {@link Long#toUnsignedString(long)}), so they map bit for bit onto the protos' {@code uint64}
 * fields; "no limit" ({@code max}) is therefore -1, containerd's {@code math.MaxUint64}.
 *
 * @param timestamp when the sample was taken
 * @param version   the cgroup version the keys follow, 1 or 2
 * @param values    the statistics by key; copied, immutable
 */
public record CgroupStats(Instant timestamp, int version, Map<String, Long> values) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException     when the timestamp or the values are {@code null}
     * @throws IllegalArgumentException when the version is neither 1 nor 2
     */
    public CgroupStats {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(values, "values");
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("cgroup version must be 1 or 2, got " + version);
        }
        values = Map.copyOf(values);
    }
}
