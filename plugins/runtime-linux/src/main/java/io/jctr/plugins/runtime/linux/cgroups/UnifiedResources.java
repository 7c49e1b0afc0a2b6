package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code linux.resources} into one cgroup v2 directory, translating v1 quantities the way
 * runc does (shares to {@code cpu.weight}, blkio weight to {@code io.weight}, memory+swap to
 * {@code memory.swap.max}); {@code linux.resources.unified} is written last so it overrides.
 * Absent settings are left alone. Device rules are not files on v2: {@link UnifiedCgroup} installs
 * them as a {@link DeviceFilter} program. Not thread-safe.
 */
final class UnifiedResources {

    private static final System.Logger LOG = System.getLogger(UnifiedResources.class.getName());

    private final Path dir;

    UnifiedResources(Path dir) {
        this.dir = dir;
    }

    void apply(Resources r) {
        if (r == null) {
            return;
        }
        ResourceCheck.check(r, true);
        memory(r.memory());
        cpu(r.cpu());
        if (r.pids() != null && r.pids().limit() != 0) {
            write("pids.max", r.pids().limit() < 0 ? "max" : Long.toString(r.pids().limit()));
        }
        io(r.blockIo());
        for (Resources.HugepageLimit h : r.hugepageLimits()) {
            write("hugetlb." + h.pageSize() + ".max", Long.toUnsignedString(h.limit()));
        }
        for (Map.Entry<String, Resources.Rdma> e : r.rdma().entrySet()) {
            write("rdma.max", LegacyResources.rdmaLine(e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, String> e : r.unified().entrySet()) {
            write(e.getKey(), e.getValue());
        }
    }

    /**
     * runc's conversion of v1's memory+swap limit to v2's swap-only limit: {@code -1} stays
     * unlimited, {@code 0} (unset) stays unset, otherwise swap − limit. {@code null} for unset.
     */
    static Long swapMax(Long limit, Long swap) {
        long l = limit == null ? 0 : limit;
        long s = swap == null ? 0 : swap;
        if (l == -1 && s == 0) {
            // Compatibility with v1: unlimited memory with swap unset means unlimited swap.
            return -1L;
        }
        if (s == -1 || s == 0) {
            return swap == null ? null : s;
        }
        if (l == 0 || l == -1) {
            throw JctrException.invalidArgument(
                    "linux.resources.memory.swap: %d needs a memory limit on cgroup v2", s);
        }
        if (s < l) {
            throw JctrException.invalidArgument("linux.resources.memory.swap: %d is below the "
                    + "memory limit %d (swap is memory+swap)", s, l);
        }
        return s - l;
    }

    /** runc's shares (2 ... 262144) to weight (1 ... 10000); 0 stays unset. */
    static long cpuWeight(long shares) {
        if (shares == 0) {
            return 0;
        }
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** runc's blkio weight (10 ... 1000) to io.weight (1 ... 10000); 0 stays unset. */
    static long ioWeight(long blkioWeight) {
        if (blkioWeight == 0) {
            return 0;
        }
        return 1 + ((blkioWeight - 10) * 9999) / 990;
    }

    private void memory(Resources.Memory m) {
        if (m == null) {
            return;
        }
        Long swap = swapMax(m.limit(), m.swap());
        if (swap != null) {
            write("memory.swap.max", number(swap));
        }
        if (m.limit() != null && m.limit() != 0) {
            write("memory.max", number(m.limit()));
        }
        if (m.reservation() != null && m.reservation() != 0) {
            write("memory.low", number(m.reservation()));
        }
        if (m.kernel() != null || m.kernelTcp() != null) {
            LOG.log(System.Logger.Level.WARNING, "linux.resources.memory.kernel and kernelTCP "
                    + "are deprecated and ignored, as runc does");
        }
        if (m.swappiness() != null || m.disableOomKiller() != null) {
            LOG.log(System.Logger.Level.WARNING, "linux.resources.memory.swappiness and "
                    + "disableOOMKiller do not exist on cgroup v2 and are ignored");
        }
    }

    private void cpu(Resources.Cpu c) {
        if (c == null) {
            return;
        }
        if (c.idle() != null) {
            write("cpu.idle", Long.toString(c.idle()));
        }
        if (ResourceCheck.nonZero(c.shares()) && (c.idle() == null || c.idle() == 0)) {
            // The kernel rejects a weight for an idle cgroup.
            if (Long.compareUnsigned(c.shares(), 262144) > 0) {
                throw JctrException.invalidArgument("linux.resources.cpu.shares: %s is out of "
                        + "range 2-262144", Long.toUnsignedString(c.shares()));
            }
            write("cpu.weight", Long.toString(cpuWeight(c.shares())));
        }
        if (ResourceCheck.nonZero(c.quota()) || ResourceCheck.nonZero(c.period())) {
            String max = c.quota() != null && c.quota() > 0 ? Long.toString(c.quota()) : "max";
            if (ResourceCheck.nonZero(c.period())) {
                max += " " + Long.toUnsignedString(c.period());
            }
            write("cpu.max", max);
        }
        if (ResourceCheck.nonZero(c.burst())) {
            write("cpu.max.burst", Long.toUnsignedString(c.burst()));
        }
        if (!c.cpus().isEmpty()) {
            write("cpuset.cpus", c.cpus());
        }
        if (!c.mems().isEmpty()) {
            write("cpuset.mems", c.mems());
        }
    }

    private void io(Resources.BlockIo b) {
        if (b == null) {
            return;
        }
        boolean bfq = CgroupFiles.exists(dir, "io.bfq.weight");
        if (ResourceCheck.nonZero(b.weight())) {
            if (bfq) {
                write("io.bfq.weight", Long.toString(b.weight()));
            } else {
                write("io.weight", "default " + ioWeight(b.weight()));
            }
        }
        if (ResourceCheck.nonZero(b.leafWeight())) {
            LOG.log(System.Logger.Level.WARNING, "linux.resources.blockIO.leafWeight does not "
                    + "exist on cgroup v2 and is ignored");
        }
        for (Resources.WeightDevice w : b.weightDevice()) {
            if (ResourceCheck.nonZero(w.weight())) {
                String device = w.major() + ":" + w.minor() + " ";
                if (bfq) {
                    write("io.bfq.weight", device + w.weight());
                } else {
                    write("io.weight", device + ioWeight(w.weight()));
                }
            }
        }
        max("rbps", b.throttleReadBpsDevice());
        max("wbps", b.throttleWriteBpsDevice());
        max("riops", b.throttleReadIopsDevice());
        max("wiops", b.throttleWriteIopsDevice());
    }

    private void max(String key, List<Resources.ThrottleDevice> devices) {
        for (Resources.ThrottleDevice t : devices) {
            write("io.max", t.major() + ":" + t.minor() + " " + key + "="
                    + Long.toUnsignedString(t.rate()));
        }
    }

    private void write(String file, String value) {
        CgroupFiles.write(dir, file, value);
    }

    private static String number(long value) {
        return value == -1 ? "max" : Long.toString(value);
    }
}
