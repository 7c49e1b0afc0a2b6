package io.jctr.plugins.runtime.linux.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;
import java.util.Map;

/**
 * Cgroup resources ({@code linux.resources}). The launch plan does not use them; the cgroup
 * manager applies them. Every absent number is {@code null}.
 *
 * @param devices        the device allow/deny rules, applied in order
 * @param memory         memory limits
 * @param cpu            cpu and cpuset settings
 * @param pids           the task limit
 * @param blockIo        blkio / io settings
 * @param hugepageLimits hugetlb limits
 * @param network        net_cls / net_prio settings
 * @param rdma           rdma limits by device name
 * @param unified        cgroup v2 files and values
 */
public record Resources(
        List<DeviceRule> devices,
        Memory memory,
        Cpu cpu,
        Pids pids,
        @JsonProperty("blockIO") BlockIo blockIo,
        List<HugepageLimit> hugepageLimits,
        Network network,
        Map<String, Rdma> rdma,
        Map<String, String> unified) {

    /** Normalises absent lists and maps to empty ones. */
    public Resources {
        devices = OrEmpty.list(devices);
        hugepageLimits = OrEmpty.list(hugepageLimits);
        rdma = OrEmpty.map(rdma);
        unified = OrEmpty.map(unified);
    }

    /**
     * A device cgroup rule.
     *
     * @param allow  allow or deny; {@code null} when absent (required)
     * @param type   {@code a}, {@code c} or {@code b}; {@code ""} means all
     * @param major  {@code null} means all
     * @param minor  {@code null} means all
     * @param access a combination of {@code r}, {@code w}, {@code m}, as written (see
     *               {@link #permissions()})
     */
    public record DeviceRule(Boolean allow, String type, Long major, Long minor, String access) {

        /** Normalises absent strings to {@code ""}. */
        public DeviceRule {
            type = OrEmpty.string(type);
            access = OrEmpty.string(access);
        }

        /**
         * The access the rule grants or refuses, as the kernel writes it: those of {@code r},
         * {@code w} and {@code m} that {@link #access()} names, in that order; all three when
         * it is empty. Other letters are ignored, as runc does (libcontainer/devices reads
         * access as a set of r, w and m): configs written for runc carry {@code "rwa"}, whose
         * {@code a} grants nothing. The spec check refuses an access naming none of the three.
         */
        public String permissions() {
            if (access.isEmpty()) {
                return "rwm";
            }
            StringBuilder p = new StringBuilder(3);
            for (char c : new char[] {'r', 'w', 'm'}) {
                if (access.indexOf(c) >= 0) {
                    p.append(c);
                }
            }
            return p.toString();
        }
    }

    /**
     * Memory controller settings, bytes ({@code -1} unlimited).
     *
     * @param limit             the hard limit
     * @param reservation       the soft limit
     * @param swap              memory plus swap
     * @param kernel            deprecated kernel memory limit
     * @param kernelTcp         deprecated kernel TCP buffer limit
     * @param swappiness        0 to 100, uint64
     * @param disableOomKiller  whether the OOM killer is disabled
     * @param useHierarchy      whether accounting is hierarchical
     * @param checkBeforeUpdate whether a limit below usage is rejected
     */
    public record Memory(
            Long limit,
            Long reservation,
            Long swap,
            Long kernel,
            @JsonProperty("kernelTCP") Long kernelTcp,
            @JsonDeserialize(using = Unsigned.OptionalUint64.class) Long swappiness,
            @JsonProperty("disableOOMKiller") Boolean disableOomKiller,
            Boolean useHierarchy,
            Boolean checkBeforeUpdate) {
    }

    /**
     * Cpu and cpuset settings.
     *
     * @param shares          relative weight, uint64
     * @param quota           CFS quota in µs per period
     * @param burst           CFS burst in µs, uint64
     * @param period          CFS period in µs, uint64
     * @param realtimeRuntime RT runtime in µs
     * @param realtimePeriod  RT period in µs, uint64
     * @param cpus            the cpuset, e.g. {@code 0-3,7}; {@code ""} when unset
     * @param mems            the memory nodes; {@code ""} when unset
     * @param idle            1 for SCHED_IDLE weight
     */
    public record Cpu(
            @JsonDeserialize(using = Unsigned.OptionalUint64.class) Long shares,
            Long quota,
            @JsonDeserialize(using = Unsigned.OptionalUint64.class) Long burst,
            @JsonDeserialize(using = Unsigned.OptionalUint64.class) Long period,
            Long realtimeRuntime,
            @JsonDeserialize(using = Unsigned.OptionalUint64.class) Long realtimePeriod,
            String cpus,
            String mems,
            Long idle) {

        /** Normalises absent strings to {@code ""}. */
        public Cpu {
            cpus = OrEmpty.string(cpus);
            mems = OrEmpty.string(mems);
        }
    }

    /**
     * The pids controller.
     *
     * @param limit the maximum number of tasks
     */
    public record Pids(long limit) {
    }

    /**
     * Block I/O settings.
     *
     * @param weight                  default weight, uint16
     * @param leafWeight              weight against child cgroups, uint16
     * @param weightDevice            per-device weights
     * @param throttleReadBpsDevice   read bytes/s limits
     * @param throttleWriteBpsDevice  write bytes/s limits
     * @param throttleReadIopsDevice  read IO/s limits
     * @param throttleWriteIopsDevice write IO/s limits
     */
    public record BlockIo(
            @JsonDeserialize(using = Unsigned.OptionalUint16.class) Long weight,
            @JsonDeserialize(using = Unsigned.OptionalUint16.class) Long leafWeight,
            List<WeightDevice> weightDevice,
            List<ThrottleDevice> throttleReadBpsDevice,
            List<ThrottleDevice> throttleWriteBpsDevice,
            @JsonProperty("throttleReadIOPSDevice") List<ThrottleDevice> throttleReadIopsDevice,
            @JsonProperty("throttleWriteIOPSDevice") List<ThrottleDevice> throttleWriteIopsDevice) {

        /** Normalises absent lists to empty ones. */
        public BlockIo {
            weightDevice = OrEmpty.list(weightDevice);
            throttleReadBpsDevice = OrEmpty.list(throttleReadBpsDevice);
            throttleWriteBpsDevice = OrEmpty.list(throttleWriteBpsDevice);
            throttleReadIopsDevice = OrEmpty.list(throttleReadIopsDevice);
            throttleWriteIopsDevice = OrEmpty.list(throttleWriteIopsDevice);
        }
    }

    /**
     * A per-device weight.
     *
     * @param major      the device's major number
     * @param minor      the device's minor number
     * @param weight     uint16
     * @param leafWeight uint16
     */
    public record WeightDevice(
            long major,
            long minor,
            @JsonDeserialize(using = Unsigned.OptionalUint16.class) Long weight,
            @JsonDeserialize(using = Unsigned.OptionalUint16.class) Long leafWeight) {
    }

    /**
     * A per-device rate limit.
     *
     * @param major the device's major number
     * @param minor the device's minor number
     * @param rate  bytes or operations per second, uint64
     */
    public record ThrottleDevice(
            long major, long minor, @JsonDeserialize(using = Unsigned.Uint64.class) long rate) {
    }

    /**
     * A hugetlb limit.
     *
     * @param pageSize the page size, e.g. {@code 2MB}
     * @param limit    bytes, uint64
     */
    public record HugepageLimit(
            String pageSize, @JsonDeserialize(using = Unsigned.Uint64.class) long limit) {

        /** Normalises an absent page size to {@code ""}. */
        public HugepageLimit {
            pageSize = OrEmpty.string(pageSize);
        }
    }

    /**
     * Network classification and priorities.
     *
     * @param classId    the net_cls class id, uint32
     * @param priorities per-interface priorities
     */
    public record Network(
            @JsonProperty("classID") @JsonDeserialize(using = Unsigned.OptionalUint32.class) Long classId,
            List<InterfacePriority> priorities) {

        /** Normalises an absent list to an empty one. */
        public Network {
            priorities = OrEmpty.list(priorities);
        }
    }

    /**
     * One interface's priority.
     *
     * @param name     the interface, in the runtime's network namespace
     * @param priority uint32
     */
    public record InterfacePriority(
            String name, @JsonDeserialize(using = Unsigned.Uint32.class) long priority) {

        /** Normalises an absent name to {@code ""}. */
        public InterfacePriority {
            name = OrEmpty.string(name);
        }
    }

    /**
     * RDMA limits of one device.
     *
     * @param hcaHandles uint32
     * @param hcaObjects uint32
     */
    public record Rdma(
            @JsonDeserialize(using = Unsigned.OptionalUint32.class) Long hcaHandles,
            @JsonDeserialize(using = Unsigned.OptionalUint32.class) Long hcaObjects) {
    }
}
