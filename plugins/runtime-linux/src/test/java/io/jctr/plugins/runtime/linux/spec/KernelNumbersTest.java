package io.jctr.plugins.runtime.linux.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The tables that map the specification's names to the kernel's numbers. */
class KernelNumbersTest {

    @Test
    void capabilityNumbersAreTheKernels() {
        assertEquals(41, Capability.values().length);
        assertEquals(0, Capability.CAP_CHOWN.number());
        assertEquals(1, Capability.CAP_DAC_OVERRIDE.number());
        assertEquals(5, Capability.CAP_KILL.number());
        assertEquals(7, Capability.CAP_SETUID.number());
        assertEquals(10, Capability.CAP_NET_BIND_SERVICE.number());
        assertEquals(21, Capability.CAP_SYS_ADMIN.number());
        assertEquals(27, Capability.CAP_MKNOD.number());
        assertEquals(29, Capability.CAP_AUDIT_WRITE.number());
        assertEquals(31, Capability.CAP_SETFCAP.number());
        assertEquals(37, Capability.CAP_AUDIT_READ.number());
        assertEquals(38, Capability.CAP_PERFMON.number());
        assertEquals(39, Capability.CAP_BPF.number());
        assertEquals(40, Capability.CAP_CHECKPOINT_RESTORE.number());
        assertEquals(1L << 40, Capability.CAP_CHECKPOINT_RESTORE.bit());
        // Dense and in order: number == ordinal, so no number is used twice or skipped.
        for (Capability c : Capability.values()) {
            assertEquals(c.ordinal(), c.number(), c.name());
        }
    }

    @Test
    void runcDefaultCapabilitiesMakeTheExpectedMask() {
        long mask = Capability.CAP_AUDIT_WRITE.bit() | Capability.CAP_KILL.bit()
                | Capability.CAP_NET_BIND_SERVICE.bit();
        assertEquals(0x20000420L, mask);
    }

    @Test
    void capabilityNamesAreCaseSensitive() {
        assertEquals(Optional.of(Capability.CAP_CHOWN), Capability.byName("CAP_CHOWN"));
        assertTrue(Capability.byName("cap_chown").isEmpty());
        assertTrue(Capability.byName("CHOWN").isEmpty());
    }

    @Test
    void namespaceFlagsAreTheKernels() {
        assertEquals(0x00020000L, NamespaceType.MOUNT.cloneFlag());
        assertEquals(0x02000000L, NamespaceType.CGROUP.cloneFlag());
        assertEquals(0x04000000L, NamespaceType.UTS.cloneFlag());
        assertEquals(0x08000000L, NamespaceType.IPC.cloneFlag());
        assertEquals(0x10000000L, NamespaceType.USER.cloneFlag());
        assertEquals(0x20000000L, NamespaceType.PID.cloneFlag());
        assertEquals(0x40000000L, NamespaceType.NETWORK.cloneFlag());
        assertEquals(0x00000080L, NamespaceType.TIME.cloneFlag());
        assertEquals(NamespaceType.USER, NamespaceType.values()[0], "the user namespace is joined first");
        assertEquals(Optional.of(NamespaceType.NETWORK), NamespaceType.bySpecName("network"));
        assertTrue(NamespaceType.bySpecName("net").isEmpty());
    }

    @Test
    void rlimitNumbersAreTheKernels() {
        assertEquals(16, RlimitType.values().length);
        assertEquals(0, RlimitType.RLIMIT_CPU.resource());
        assertEquals(4, RlimitType.RLIMIT_CORE.resource());
        assertEquals(6, RlimitType.RLIMIT_NPROC.resource());
        assertEquals(7, RlimitType.RLIMIT_NOFILE.resource());
        assertEquals(9, RlimitType.RLIMIT_AS.resource());
        assertEquals(15, RlimitType.RLIMIT_RTTIME.resource());
        assertTrue(Arrays.stream(RlimitType.values()).allMatch(r -> r.resource() == r.ordinal()));
    }

    @Test
    void sysctlNamesConvertBetweenSpellings() {
        assertEquals("net.ipv4.ip_forward", SysctlName.dotted("net.ipv4.ip_forward"));
        assertEquals("net.ipv4.conf.eth0/100.rp_filter", SysctlName.dotted("net/ipv4/conf/eth0.100/rp_filter"));
        assertEquals("/proc/sys/net/ipv4/conf/eth0.100/rp_filter",
                SysctlName.procPath("net.ipv4.conf.eth0/100.rp_filter"));
        assertEquals("/proc/sys/kernel/shmmax", SysctlName.procPath("kernel.shmmax"));
        assertTrue(SysctlName.wellFormed("net.core.somaxconn"));
        assertTrue(!SysctlName.wellFormed("net..core") && !SysctlName.wellFormed(SysctlName.dotted("net/../x")));
    }

    @Test
    void jsonPathsQuoteKeysThatAreNotIdentifiers() {
        assertEquals("linux.namespaces[2].type",
                JsonPath.key(JsonPath.index(JsonPath.key("linux", "namespaces"), 2), "type"));
        assertEquals("linux.sysctl[\"net.ipv4.ip_forward\"]", JsonPath.key("linux.sysctl", "net.ipv4.ip_forward"));
        assertEquals("annotations[\"\"]", JsonPath.key("annotations", ""));
        assertEquals("\"a\\\"b\\n\\u0001\"", JsonPath.quote("a\"b\n\u0001"));
    }
}
