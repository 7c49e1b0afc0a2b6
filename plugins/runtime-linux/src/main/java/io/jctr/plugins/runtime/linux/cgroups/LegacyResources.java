package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes {@code linux.resources} into cgroup v1 files, controller by controller in runc's order
 * (cpuset, devices, memory, cpu, pids, blkio, hugetlb, net_cls, net_prio, rdma). Absent settings
 * are left alone, so the same code serves create and a live update. Not thread-safe.
 */
final class LegacyResources {

    private static final System.Logger LOG = System.getLogger(LegacyResources.class.getName());

    private final Function<String, Path> dirs;

    /** @param dirs the container's directory for a controller, {@code null} when not mounted */
    LegacyResources(Function<String, Path> dirs) {
        this.dirs = dirs;
    }

    void apply(Resources r) {
        if (r == null) {
            return;
        }
        cpuset(r.cpu());
        devices(r.devices());
        memory(r.memory());
        cpu(r.cpu());
        if (r.pids() != null && r.pids().limit() != 0) {
            CgroupFiles.write(dir("pids", "pids"), "pids.max",
                    r.pids().limit() < 0 ? "max" : Long.toString(r.pids().limit()));
        }
        blkio(r.blockIo());
        for (Resources.HugepageLimit h : r.hugepageLimits()) {
            CgroupFiles.write(dir("hugetlb", "hugepageLimits"),
                    "hugetlb." + h.pageSize() + ".limit_in_bytes",
                    Long.toUnsignedString(h.limit()));
        }
        network(r.network());
        for (Map.Entry<String, Resources.Rdma> e : r.rdma().entrySet()) {
            CgroupFiles.write(dir("rdma", "rdma"), "rdma.max", rdmaLine(e.getKey(), e.getValue()));
        }
    }

    /** The controllers the settings in {@code r} write to, each with its setting's name. */
    static Map<String, String> controllersFor(Resources r) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (r == null) {
            return out;
        }
        Resources.Cpu c = r.cpu();
        if (c != null && (!c.cpus().isEmpty() || !c.mems().isEmpty())) {
            out.put("cpuset", "cpu.cpus");
        }
        if (!r.devices().isEmpty()) {
            out.put("devices", "devices");
        }
        if (r.memory() != null) {
            out.put("memory", "memory");
        }
        if (c != null && (ResourceCheck.nonZero(c.shares()) || ResourceCheck.nonZero(c.quota())
                || ResourceCheck.nonZero(c.period()) || ResourceCheck.nonZero(c.burst())
                || ResourceCheck.nonZero(c.realtimePeriod())
                || ResourceCheck.nonZero(c.realtimeRuntime()) || c.idle() != null)) {
            out.put("cpu", "cpu");
        }
        if (r.pids() != null && r.pids().limit() != 0) {
            out.put("pids", "pids");
        }
        if (r.blockIo() != null) {
            out.put("blkio", "blockIO");
        }
        if (!r.hugepageLimits().isEmpty()) {
            out.put("hugetlb", "hugepageLimits");
        }
        if (r.network() != null && r.network().classId() != null) {
            out.put("net_cls", "network.classID");
        }
        if (r.network() != null && !r.network().priorities().isEmpty()) {
            out.put("net_prio", "network.priorities");
        }
        if (!r.rdma().isEmpty()) {
            out.put("rdma", "rdma");
        }
        return out;
    }

    static String rdmaLine(String device, Resources.Rdma r) {
        StringBuilder b = new StringBuilder(device);
        if (r.hcaHandles() != null) {
            b.append(" hca_handle=").append(r.hcaHandles());
        }
        if (r.hcaObjects() != null) {
            b.append(" hca_object=").append(r.hcaObjects());
        }
        return b.toString();
    }

    private Path dir(String controller, String setting) {
        Path d = dirs.apply(controller);
        if (d == null) {
            throw notMounted(controller, setting);
        }
        return d;
    }

    static JctrException notMounted(String controller, String setting) {
        return JctrException.failedPrecondition(
                "cgroup: linux.resources.%s needs the %s controller, which is not mounted",
                setting, controller);
    }

    private void cpuset(Resources.Cpu c) {
        if (c == null) {
            return;
        }
        if (!c.cpus().isEmpty()) {
            CgroupFiles.write(dir("cpuset", "cpu.cpus"), "cpuset.cpus", c.cpus());
        }
        if (!c.mems().isEmpty()) {
            CgroupFiles.write(dir("cpuset", "cpu.mems"), "cpuset.mems", c.mems());
        }
    }

    /**
     * Moves the cgroup from its current rules ({@code devices.list}, inherited from the parent
     * in a new cgroup) to the spec's, replayed in order from "deny everything", with only the
     * writes that differ: a live update never passes through "no devices". An empty list
     * leaves the rules alone.
     */
    private void devices(List<Resources.DeviceRule> rules) {
        if (rules.isEmpty()) {
            return;
        }
        Path d = dir("devices", "devices");
        DeviceState current = DeviceState.parse(CgroupFiles.read(d, "devices.list"));
        for (DeviceState.Write w : current.transitionTo(DeviceState.of(rules))) {
            CgroupFiles.write(d, w.file(), w.line());
        }
    }

    private void memory(Resources.Memory m) {
        if (m == null) {
            return;
        }
        // 0 means unset, as in runc: a 0-byte limit is never what a spec asks for.
        Long limit = ResourceCheck.nonZero(m.limit()) ? m.limit() : null;
        Long swap = ResourceCheck.nonZero(m.swap()) ? m.swap() : null;
        if (limit != null || swap != null) {
            limits(dir("memory", "memory"), limit, swap);
        }
        if (ResourceCheck.nonZero(m.reservation())) {
            CgroupFiles.write(dir("memory", "memory"), "memory.soft_limit_in_bytes",
                    Long.toString(m.reservation()));
        }
        if (m.kernel() != null || m.kernelTcp() != null) {
            LOG.log(System.Logger.Level.WARNING, "linux.resources.memory.kernel and kernelTCP "
                    + "are deprecated and ignored, as runc does");
        }
        if (m.swappiness() != null) {
            CgroupFiles.write(dir("memory", "memory"), "memory.swappiness",
                    Long.toUnsignedString(m.swappiness()));
        }
        if (m.disableOomKiller() != null) {
            CgroupFiles.write(dir("memory", "memory"), "memory.oom_control",
                    m.disableOomKiller() ? "1" : "0");
        }
    }

    /**
     * The kernel requires memory limit ≤ memory+swap limit at every instant, so the order of
     * the two writes depends on whether the limits grow or shrink. Like runc, pick the order
     * from the current limit; if the kernel still refuses, try the other order once.
     */
    private void limits(Path d, Long limit, Long swap) {
        boolean hasMemsw = CgroupFiles.exists(d, "memory.memsw.limit_in_bytes");
        if (limit != null && limit == -1 && swap == null && hasMemsw) {
            swap = -1L;
        }
        if (limit == null || swap == null) {
            if (limit != null) {
                writeLimit(d, limit);
            }
            if (swap != null) {
                CgroupFiles.write(d, "memory.memsw.limit_in_bytes", Long.toString(swap));
            }
            return;
        }
        long current = CgroupFiles.readLong(d, "memory.limit_in_bytes");
        boolean swapFirst = swap == -1 || Long.compareUnsigned(current, swap) < 0;
        try {
            writePair(d, limit, swap, swapFirst);
        } catch (JctrException first) {
            if (!JctrException.is(first, JctrException.Kind.INVALID_ARGUMENT)) {
                throw first;
            }
            try {
                writePair(d, limit, swap, !swapFirst);
            } catch (JctrException second) {
                first.addSuppressed(second);
                throw first;
            }
        }
    }

    private void writePair(Path d, long limit, long swap, boolean swapFirst) {
        if (swapFirst) {
            CgroupFiles.write(d, "memory.memsw.limit_in_bytes", Long.toString(swap));
            writeLimit(d, limit);
        } else {
            writeLimit(d, limit);
            CgroupFiles.write(d, "memory.memsw.limit_in_bytes", Long.toString(swap));
        }
    }

    private void writeLimit(Path d, long limit) {
        try {
            CgroupFiles.write(d, "memory.limit_in_bytes", Long.toString(limit));
        } catch (JctrException e) {
            if (e.getMessage().endsWith("Device or resource busy")) {
                throw new JctrException(e.kind(), e.getMessage() + " (current usage "
                        + CgroupFiles.read(d, "memory.usage_in_bytes") + ", peak usage "
                        + CgroupFiles.read(d, "memory.max_usage_in_bytes") + ")", e);
            }
            throw e;
        }
    }

    private void cpu(Resources.Cpu c) {
        if (c == null) {
            return;
        }
        if (c.shares() != null && c.shares() != 0) {
            Path d = dir("cpu", "cpu.shares");
            String shares = Long.toUnsignedString(c.shares());
            CgroupFiles.write(d, "cpu.shares", shares);
            String actual = CgroupFiles.read(d, "cpu.shares");
            if (!actual.equals(shares)) {
                // The kernel clamps silently (2 ... 262144); say so instead.
                throw JctrException.invalidArgument("linux.resources.cpu.shares: %s is out of "
                        + "range, the kernel made it %s", shares, actual);
            }
        }
        boolean periodPending = false;
        if (ResourceCheck.nonZero(c.period())) {
            try {
                CgroupFiles.write(dir("cpu", "cpu.period"), "cpu.cfs_period_us",
                        Long.toUnsignedString(c.period()));
            } catch (JctrException e) {
                // A shorter period can exceed the parent's quota until the quota shrinks too:
                // retry after writing the quota.
                if (!JctrException.is(e, JctrException.Kind.INVALID_ARGUMENT)
                        || !ResourceCheck.nonZero(c.quota())) {
                    throw e;
                }
                periodPending = true;
            }
        }
        if (ResourceCheck.nonZero(c.quota())) {
            Path d = dir("cpu", "cpu.quota");
            CgroupFiles.write(d, "cpu.cfs_quota_us", Long.toString(c.quota()));
            if (periodPending) {
                CgroupFiles.write(d, "cpu.cfs_period_us", Long.toUnsignedString(c.period()));
            }
        }
        if (ResourceCheck.nonZero(c.burst())) {
            CgroupFiles.write(dir("cpu", "cpu.burst"), "cpu.cfs_burst_us",
                    Long.toUnsignedString(c.burst()));
        }
        if (ResourceCheck.nonZero(c.realtimePeriod())) {
            CgroupFiles.write(dir("cpu", "cpu.realtimePeriod"), "cpu.rt_period_us",
                    Long.toUnsignedString(c.realtimePeriod()));
        }
        if (ResourceCheck.nonZero(c.realtimeRuntime())) {
            CgroupFiles.write(dir("cpu", "cpu.realtimeRuntime"), "cpu.rt_runtime_us",
                    Long.toString(c.realtimeRuntime()));
        }
        if (c.idle() != null) {
            CgroupFiles.write(dir("cpu", "cpu.idle"), "cpu.idle", Long.toString(c.idle()));
        }
    }

    private void blkio(Resources.BlockIo b) {
        if (b == null) {
            return;
        }
        Path d = dir("blkio", "blockIO");
        // Kernels whose io scheduler is BFQ name the weight files blkio.bfq.*.
        boolean bfq = !CgroupFiles.exists(d, "blkio.weight")
                && CgroupFiles.exists(d, "blkio.bfq.weight");
        String weight = bfq ? "blkio.bfq.weight" : "blkio.weight";
        if (ResourceCheck.nonZero(b.weight())) {
            CgroupFiles.write(d, weight, Long.toString(b.weight()));
        }
        if (ResourceCheck.nonZero(b.leafWeight())) {
            CgroupFiles.write(d, "blkio.leaf_weight", Long.toString(b.leafWeight()));
        }
        for (Resources.WeightDevice w : b.weightDevice()) {
            if (ResourceCheck.nonZero(w.weight())) {
                CgroupFiles.write(d, weight + "_device",
                        w.major() + ":" + w.minor() + " " + w.weight());
            }
            if (ResourceCheck.nonZero(w.leafWeight())) {
                CgroupFiles.write(d, "blkio.leaf_weight_device",
                        w.major() + ":" + w.minor() + " " + w.leafWeight());
            }
        }
        throttle(d, "blkio.throttle.read_bps_device", b.throttleReadBpsDevice());
        throttle(d, "blkio.throttle.write_bps_device", b.throttleWriteBpsDevice());
        throttle(d, "blkio.throttle.read_iops_device", b.throttleReadIopsDevice());
        throttle(d, "blkio.throttle.write_iops_device", b.throttleWriteIopsDevice());
    }

    private static void throttle(Path d, String file, List<Resources.ThrottleDevice> devices) {
        for (Resources.ThrottleDevice t : devices) {
            CgroupFiles.write(d, file,
                    t.major() + ":" + t.minor() + " " + Long.toUnsignedString(t.rate()));
        }
    }

    private void network(Resources.Network n) {
        if (n == null) {
            return;
        }
        if (n.classId() != null) {
            CgroupFiles.write(dir("net_cls", "network.classID"), "net_cls.classid",
                    Long.toString(n.classId()));
        }
        for (Resources.InterfacePriority p : n.priorities()) {
            CgroupFiles.write(dir("net_prio", "network.priorities"), "net_prio.ifpriomap",
                    p.name() + " " + p.priority());
        }
    }
}
