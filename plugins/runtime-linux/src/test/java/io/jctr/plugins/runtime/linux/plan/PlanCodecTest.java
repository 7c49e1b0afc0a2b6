package io.jctr.plugins.runtime.linux.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.spec.NamespaceType;
import io.jctr.plugins.runtime.linux.spec.SpecParser;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanCodecTest extends PlannerTestBase {

    /** One plan holding every step type at least once, with awkward values. */
    static LaunchPlan everyStep() {
        return new LaunchPlan(List.of(
                new NamespaceStep.SetOomScoreAdj(-1000),
                new NamespaceStep.JoinNamespace(NamespaceType.NETWORK, "/run/netns/ä"),
                new NamespaceStep.UnshareTime(List.of(new NamespaceStep.ClockOffset("boottime", -5, 999_999_999))),
                new NamespaceStep.CreateNamespaces(0x7e020000L),
                new NamespaceStep.WriteIdMaps(List.of(new NamespaceStep.IdMapLine(0, 4294967295L, 1)),
                        List.of(new NamespaceStep.IdMapLine(0, 1000, 1), new NamespaceStep.IdMapLine(1, 100000, 65536)),
                        true),
                new NamespaceStep.BringUpLoopback(),
                new MountStep.SetPropagation("/", MountFlags.MS_SLAVE | MountFlags.MS_REC, "linux.rootfsPropagation"),
                new MountStep.PrivatizeRootfsParent("/b/rootfs"),
                new MountStep.BindRootfs("/b/rootfs"),
                new FilesystemStep.MakePath("/etc/hosts", FilesystemStep.PathKind.FILE, "mounts[1]"),
                new MountStep.Mount("tmpfs", "/dev", "tmpfs", MountFlags.MS_NOSUID, "mode=755", "mounts[0]"),
                new MountStep.Remount("/", MountFlags.MS_BIND | MountFlags.MS_REMOUNT | MountFlags.MS_RDONLY, ""),
                new MountStep.SetMountAttr("/v", MountFlags.MOUNT_ATTR_NOATIME, MountFlags.MOUNT_ATTR__ATIME, "m"),
                new FilesystemStep.Chmod("/tmp", 01777, "mounts[2]"),
                new FilesystemStep.MakeDevice("/dev/sda", FilesystemStep.DeviceKind.BLOCK, 8, 0, 0660, 0, 6, "d"),
                new FilesystemStep.Symlink("pts/ptmx", "/dev/ptmx", true),
                new FilesystemStep.EnterRoot(FilesystemStep.RootSwitch.MOVE_ROOT, "/b/rootfs"),
                new FilesystemStep.ReopenDevNull(),
                new FilesystemStep.BindConsole("/dev/console"),
                new MountStep.ReadonlyPath("/proc/sys", "linux.readonlyPaths[0]"),
                new MountStep.MaskPath("/proc/kcore", "linux.maskedPaths[0]"),
                new ProcessStep.SetUmask(0022),
                new ProcessStep.SyncWithRuntime(ProcessStep.SyncPoint.READY),
                new ProcessStep.RunHooks(ProcessStep.HookPhase.START_CONTAINER, List.of(
                        new ProcessStep.HookCommand("/bin/hook", List.of("hook", ""), List.of("A=1"), 0))),
                new ProcessStep.SetHostname("box"),
                new ProcessStep.SetDomainname(""),
                new ProcessStep.ApplyApparmorProfile("docker-default"),
                new ProcessStep.SetSelinuxLabel("system_u:system_r:container_t:s0"),
                new ProcessStep.WriteSysctl("/proc/sys/net/ipv4/ip_forward", "1", "linux.sysctl[\"x\"]"),
                new ProcessStep.SetRlimit(7, -1, -1, "process.rlimits[0]"),
                new ProcessStep.SetPersonality(8),
                new ProcessStep.SetIoPriority(2, 7),
                new ProcessStep.SetScheduler(6, 0x40, -20, 99, Long.MAX_VALUE, 1, -1),
                new IdentityStep.SetNoNewPrivileges(),
                new IdentityStep.Chdir("/root"),
                new IdentityStep.DropBoundingSet(0x1ffffffffffL, 40),
                new IdentityStep.SwitchUser(4294967295L, 0, List.of(1L, 2L, 3L), true),
                new IdentityStep.SetCapabilities(1, 2, 3),
                new IdentityStep.SetAmbient(1L << 40, 40),
                new IdentityStep.WaitForStart(),
                new IdentityStep.SeccompListener("/run/agent.sock", "\"m\"\n", "1.0.2-dev"),
                new IdentityStep.SetSeccomp(-1, new byte[] {0x06, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f}),
                new IdentityStep.CloseInheritedFds(3),
                new IdentityStep.Exec(List.of("/bin/sh", "-c", "echo 'hé'"), List.of("PATH=/bin"))), List.of());
    }

    @Test
    void everyOpcodeRoundTrips() {
        LaunchPlan plan = everyStep();
        Set<Opcode> seen = EnumSet.noneOf(Opcode.class);
        plan.steps().forEach(s -> seen.add(s.opcode()));
        assertEquals(EnumSet.allOf(Opcode.class), seen, "the fixture covers every step type");

        assertEquals(plan, PlanDecoder.decode(PlanEncoder.encode(plan)));
    }

    @Test
    void opcodesAreUnique() {
        assertEquals(Opcode.values().length, Arrays.stream(Opcode.values()).mapToInt(Opcode::code).distinct().count());
    }

    @Test
    void runcPlanRoundTrips() throws IOException {
        LaunchPlan plan = LaunchPlanner.plan(SpecParser.parse(TestSpecs.resource("runc-spec.json")), bundle,
                PlanOptions.defaults());

        LaunchPlan decoded = PlanDecoder.decode(PlanEncoder.encode(plan));

        assertEquals(plan.steps(), decoded.steps());
        assertEquals(List.of(), decoded.warnings());
    }

    @Test
    void fullSpecificationExamplePlanRoundTrips() throws IOException {
        ObjectNode s = (ObjectNode) TestSpecs.tree(new String(
                TestSpecs.resource("oci-1.1-full.json"), StandardCharsets.UTF_8));
        Files.createDirectories(rootfs.resolve("root"));
        LaunchPlan plan = plan(s);

        assertEquals(plan.steps(), PlanDecoder.decode(PlanEncoder.encode(plan)).steps());
    }

    /** The bytes a C reader sees, pinned: header, then opcode, length, payload per record. */
    @Test
    void encodingIsExactlyTheDocumentedFormat() {
        LaunchPlan plan = new LaunchPlan(List.of(
                new ProcessStep.SetUmask(0022),
                new IdentityStep.Exec(List.of("sh"), List.of("A=b"))), List.of());

        String hex = HexFormat.of().formatHex(PlanEncoder.encode(plan));

        assertEquals("4a435452504c414e" // "JCTRPLAN"
                + "01" // version
                + "00000002" // two records
                + "0401" + "00000004" + "00000012" // SetUmask, 4 bytes, 0022
                + "0509" + "00000015" // Exec, 21 bytes
                + "00000001" + "00000002" + "7368" // argv: ["sh"]
                + "00000001" + "00000003" + "413d62", // env: ["A=b"]
                hex);
    }

    /** A blob is a u32 length and the bytes as they are: the BPF stays in host byte order. */
    @Test
    void setSeccompIsFlagsThenABlob() {
        byte[] retAllow = {0x06, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f}; // BPF_RET|BPF_K 0x7fff0000, little-endian
        LaunchPlan plan = new LaunchPlan(List.of(new IdentityStep.SetSeccomp(2, retAllow)), List.of());

        String hex = HexFormat.of().formatHex(PlanEncoder.encode(plan));

        assertEquals("4a435452504c414e" + "01" + "00000001"
                + "050a" + "00000014" // SetSeccomp, 20 bytes
                + "0000000000000002" // flags: SECCOMP_FILTER_FLAG_LOG
                + "00000008" + "060000000000ff7f", // filter: one instruction
                hex);
        assertEquals(plan, PlanDecoder.decode(PlanEncoder.encode(plan)));
    }

    /** The agent's socket, its metadata and the ociVersion of the JSON it receives. */
    @Test
    void seccompListenerIsThreeStrings() {
        LaunchPlan plan = new LaunchPlan(List.of(new IdentityStep.SeccompListener("/a", "m", "1")), List.of());

        String hex = HexFormat.of().formatHex(PlanEncoder.encode(plan));

        assertEquals("4a435452504c414e" + "01" + "00000001"
                + "050b" + "00000010" // SeccompListener, 16 bytes
                + "00000002" + "2f61" // listenerPath
                + "00000001" + "6d" // metadata
                + "00000001" + "31", // ociVersion
                hex);
        assertEquals(plan, PlanDecoder.decode(PlanEncoder.encode(plan)));
    }

    @Test
    void rejectsSeccompFiltersThatAreNotWholeInstructions() {
        byte[] flags = new PlanWriter().i64(0).toByteArray();
        byte[] seven = concat(header(1), concat(new byte[] {0x05, 0x0a, 0, 0, 0, 19},
                concat(flags, new byte[] {0, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7})));
        assertInvalid(seven, "launch plan: seccomp filter of 7 bytes is not 1 to 4096 8-byte instructions at byte 19: invalid argument");

        byte[] empty = concat(header(1), concat(new byte[] {0x05, 0x0a, 0, 0, 0, 12}, concat(flags, new byte[] {0, 0, 0, 0})));
        assertInvalid(empty, "launch plan: seccomp filter of 0 bytes is not 1 to 4096 8-byte instructions at byte 12: invalid argument");

        byte[] tooLong = new PlanWriter().i64(0).blob(new byte[4097 * 8]).toByteArray();
        byte[] record = concat(new PlanWriter().u16(0x050a).i32(tooLong.length).toByteArray(), tooLong);
        assertInvalid(concat(header(1), record), "launch plan: seccomp filter of 32776 bytes is not 1 to 4096 "
                + "8-byte instructions at byte 32788: invalid argument");

        assertThrows(IllegalArgumentException.class, () -> new IdentityStep.SetSeccomp(0, new byte[12]));
    }

    @Test
    void rejectsBlobsLongerThanTheirRecord() {
        // The blob claims 16 bytes; the record holds 8 of them.
        byte[] truncated = concat(header(1), concat(new byte[] {0x05, 0x0a, 0, 0, 0, 20},
                concat(new byte[8], new byte[] {0, 0, 0, 16, 1, 2, 3, 4, 5, 6, 7, 8})));
        assertInvalid(truncated, "launch plan: count 16 exceeds the remaining 8 bytes at byte 12: invalid argument");

        byte[] negative = concat(header(1), concat(new byte[] {0x05, 0x0a, 0, 0, 0, 12},
                concat(new byte[8], new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf8})));
        assertInvalid(negative, "launch plan: count 4294967288 exceeds the remaining 0 bytes at byte 12: invalid argument");

        byte[] cut = Arrays.copyOf(PlanEncoder.encode(new LaunchPlan(List.of(
                new IdentityStep.SetSeccomp(0, new byte[16])), List.of())), 13 + 6 + 8 + 4 + 10);
        assertInvalid(cut, "launch plan: truncated: need 28 bytes, 22 left at byte 19: invalid argument");
    }

    @Test
    void setSeccompCopiesItsProgram() {
        byte[] bpf = new byte[8];
        IdentityStep.SetSeccomp step = new IdentityStep.SetSeccomp(0, bpf);
        bpf[0] = 1;
        step.filter()[1] = 1;

        assertEquals(new IdentityStep.SetSeccomp(0, new byte[8]), step);
        assertEquals("SetSeccomp[flags=0x0, instructions=1]", step.toString());
    }

    @Test
    void rejectsABadHeader() {
        byte[] good = PlanEncoder.encode(everyStep());

        byte[] magic = good.clone();
        magic[0] = 'X';
        assertInvalid(magic, "launch plan: bad magic: invalid argument");

        byte[] version = good.clone();
        version[8] = 2;
        assertInvalid(version, "launch plan: unsupported version 2 at byte 9: invalid argument");

        assertInvalid(Arrays.copyOf(good, 5), "launch plan: truncated: need 1 bytes, 0 left at byte 5: invalid argument");
    }

    @Test
    void rejectsCountsBeyondTheInput() {
        byte[] bytes = header(0x7fffffff);

        assertInvalid(bytes, "launch plan: count 2147483647 exceeds the remaining 0 bytes at byte 13: invalid argument");
    }

    @Test
    void rejectsUnknownOpcodes() {
        byte[] bytes = concat(header(1), new byte[] {0x7f, 0x7f, 0, 0, 0, 0});

        assertInvalid(bytes, "launch plan: unknown opcode 0x7f7f at byte 15: invalid argument");
    }

    @Test
    void rejectsPayloadsLongerOrShorterThanTheirFields() {
        byte[] longer = concat(header(1), new byte[] {0x04, 0x01, 0, 0, 0, 5, 0, 0, 0, 0x12, 0});
        assertInvalid(longer, "launch plan: 1 unexpected trailing bytes at byte 4: invalid argument");

        byte[] shorter = concat(header(1), new byte[] {0x04, 0x01, 0, 0, 0, 3, 0, 0, 0});
        assertInvalid(shorter, "launch plan: truncated: need 4 bytes, 3 left at byte 0: invalid argument");

        byte[] beyond = concat(header(1), new byte[] {0x04, 0x01, 0, 0, 0, 9, 0, 0, 0, 0x12});
        assertInvalid(beyond, "launch plan: truncated: need 9 bytes, 4 left at byte 19: invalid argument");
    }

    @Test
    void rejectsTrailingBytesAfterTheLastRecord() {
        byte[] bytes = concat(PlanEncoder.encode(new LaunchPlan(List.of(new IdentityStep.WaitForStart()), List.of())),
                new byte[] {0});

        assertInvalid(bytes, "launch plan: 1 unexpected trailing bytes at byte 19: invalid argument");
    }

    @Test
    void rejectsNulBytesAndBadUtf8InStrings() {
        byte[] nul = concat(header(1), new byte[] {0x05, 0x02, 0, 0, 0, 6, 0, 0, 0, 2, '/', 0});
        assertInvalid(nul, "launch plan: string contains a NUL byte at byte 6: invalid argument");

        byte[] utf8 = concat(header(1), new byte[] {0x05, 0x02, 0, 0, 0, 5, 0, 0, 0, 1, (byte) 0xff});
        assertInvalid(utf8, "launch plan: string is not valid UTF-8 at byte 5: invalid argument");
    }

    @Test
    void rejectsOutOfRangeEnumsAndBooleans() {
        byte[] kind = concat(header(1), new byte[] {0x03, 0x01, 0, 0, 0, 10, 0, 0, 0, 1, '/', 9, 0, 0, 0, 0});
        assertInvalid(kind, "launch plan: unknown path kind 9 at byte 6: invalid argument");

        byte[] bool = concat(header(1), new byte[] {0x03, 0x04, 0, 0, 0, 11, 0, 0, 0, 1, 'a', 0, 0, 0, 1, '/', 2});
        assertInvalid(bool, "launch plan: boolean byte 2 is neither 0 nor 1 at byte 11: invalid argument");
    }

    private static void assertInvalid(byte[] bytes, String message) {
        JctrException e = assertThrows(JctrException.class, () -> PlanDecoder.decode(bytes));
        assertEquals(message, e.getMessage());
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
    }

    private static byte[] header(int count) {
        return new PlanWriter().bytes(PlanEncoder.MAGIC).u8(PlanEncoder.VERSION).i32(count).toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
