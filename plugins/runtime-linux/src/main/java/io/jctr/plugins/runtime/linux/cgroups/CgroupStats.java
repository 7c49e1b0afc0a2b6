package io.jctr.plugins.runtime.linux.cgroups;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A container's cgroup statistics, shaped like runc 1.1's {@code types.Stats} so that Jackson
 * serialises it into the JSON of {@code runc events --stats} ({@code cpu.usage.total},
 * {@code memory.usage.usage}, ...). Numbers are unsigned 64-bit values in a {@code long}
 * (nanoseconds for time, bytes for memory); a field the host does not provide is 0 or empty.
 *
 * @param cpu     cpu time and throttling
 * @param memory  memory and swap usage
 * @param pids    task count and limit
 * @param blkio   I/O per device
 * @param hugetlb hugetlb usage by page size ({@code 2MB})
 */
public record CgroupStats(Cpu cpu, Memory memory, Pids pids, Blkio blkio,
        Map<String, Hugetlb> hugetlb) {

    public CgroupStats {
        hugetlb = Map.copyOf(hugetlb);
    }

    /**
     * @param usage      cpu time used
     * @param throttling CFS bandwidth throttling
     */
    public record Cpu(CpuUsage usage, Throttling throttling) {
    }

    /**
     * Cpu time in nanoseconds.
     *
     * @param total        all cpus, user and kernel
     * @param percpu       per cpu
     * @param percpuKernel per cpu in kernel mode
     * @param percpuUser   per cpu in user mode
     * @param kernel       kernel mode
     * @param user         user mode
     */
    public record CpuUsage(
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) long total,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Long> percpu,
            @JsonProperty("percpu_kernel") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            List<Long> percpuKernel,
            @JsonProperty("percpu_user") @JsonInclude(JsonInclude.Include.NON_EMPTY)
            List<Long> percpuUser,
            long kernel,
            long user) {

        public CpuUsage {
            percpu = List.copyOf(percpu);
            percpuKernel = List.copyOf(percpuKernel);
            percpuUser = List.copyOf(percpuUser);
        }
    }

    /**
     * @param periods          enforcement periods elapsed
     * @param throttledPeriods periods in which the cgroup was throttled
     * @param throttledTime    nanoseconds throttled
     */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record Throttling(long periods, long throttledPeriods, long throttledTime) {
    }

    /**
     * @param cache     page cache bytes (v1 {@code cache}, v2 {@code file})
     * @param usage     memory
     * @param swap      memory+swap on v1; on v2 memory plus swap, as runc reports it
     * @param kernel    kernel memory (v1 only)
     * @param kernelTcp kernel TCP buffers (v1 only)
     * @param raw       {@code memory.stat}, every key
     */
    public record Memory(
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) long cache,
            MemoryEntry usage,
            MemoryEntry swap,
            MemoryEntry kernel,
            @JsonProperty("kernelTCP") MemoryEntry kernelTcp,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Long> raw) {

        public Memory {
            raw = Map.copyOf(raw);
        }

        /** The resident anonymous memory ({@code rss} on v1, {@code anon} on v2). */
        public long rss() {
            return raw.getOrDefault("rss", raw.getOrDefault("anon", 0L));
        }
    }

    /**
     * @param limit   the limit; unlimited reads as the kernel's huge number (v1) or
     *                {@code 2^64-1} (v2 {@code max})
     * @param usage   current usage
     * @param max     peak usage
     * @param failcnt how often the limit was hit
     */
    public record MemoryEntry(
            long limit,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) long usage,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) long max,
            long failcnt) {

        static final MemoryEntry EMPTY = new MemoryEntry(0, 0, 0, 0);
    }

    /**
     * @param current tasks now
     * @param limit   {@code pids.max}; 0 for unlimited
     */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record Pids(long current, long limit) {
    }

    /**
     * @param ioServiceBytesRecursive bytes by device and operation
     * @param ioServicedRecursive     operations by device and operation
     */
    public record Blkio(
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BlkioEntry> ioServiceBytesRecursive,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BlkioEntry> ioServicedRecursive) {

        public Blkio {
            ioServiceBytesRecursive = List.copyOf(ioServiceBytesRecursive);
            ioServicedRecursive = List.copyOf(ioServicedRecursive);
        }
    }

    /**
     * @param major the device's major number
     * @param minor the device's minor number
     * @param op    {@code Read}, {@code Write}, {@code Sync}, {@code Async}, {@code Discard},
     *              {@code Total}
     * @param value bytes or operations
     */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    public record BlkioEntry(long major, long minor, String op, long value) {
    }

    /**
     * @param usage   bytes in use
     * @param max     peak bytes (v1) ; 0 on v2
     * @param failcnt allocations that failed for the limit
     */
    public record Hugetlb(
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) long usage,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) long max,
            long failcnt) {
    }
}
