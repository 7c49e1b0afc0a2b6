package io.jctr.plugins.runtime.linux.plan;

import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_BIND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.FilesystemStep.DeviceKind;
import io.jctr.plugins.runtime.linux.plan.FilesystemStep.RootSwitch;
import io.jctr.plugins.runtime.linux.plan.NamespaceStep.IdMapLine;
import io.jctr.plugins.runtime.linux.spec.Capability;
import io.jctr.plugins.runtime.linux.spec.NamespaceType;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Namespaces, devices, kernel settings, identity and the root switch. */
class ProcessPlanningTest extends PlannerTestBase {

    @Test
    void aNewUserNamespaceGetsItsMapLinesAndBindsDevices() throws IOException {
        ObjectNode s = MountPlanningTest.userNamespaceSpec();
        mount(s, "/dev", "tmpfs", "tmpfs");

        LaunchPlan plan = plan(s);
        NamespaceStep.WriteIdMaps maps = plan.stepsOf(NamespaceStep.WriteIdMaps.class).get(0);

        assertEquals(List.of(new IdMapLine(0, 100000, 65536)), maps.uidMap());
        assertEquals("0 100000 65536\n", maps.uidMap().get(0).line());
        assertEquals(false, maps.denySetgroups());
        assertTrue(plan.indexOf(maps) > firstIndex(plan, NamespaceStep.CreateNamespaces.class));
        assertEquals(List.of(), plan.stepsOf(FilesystemStep.MakeDevice.class));
        assertTrue(plan.steps().contains(
                new MountStep.Mount("/dev/null", "/dev/null", "", MS_BIND, "", "")));
    }

    @Test
    void aRootlessUserNamespaceDeniesSetgroups() throws IOException {
        ObjectNode s = MountPlanningTest.userNamespaceSpec();
        PlanOptions rootless = PlanOptions.defaults().withRootless(true);

        LaunchPlan plan = plan(s, rootless);

        assertEquals(true, plan.stepsOf(NamespaceStep.WriteIdMaps.class).get(0).denySetgroups());
        assertEquals(new IdentityStep.SwitchUser(0, 0, List.of(), false),
                plan.stepsOf(IdentityStep.SwitchUser.class).get(0));

        process(s).putObject("user").putArray("additionalGids").add(10);
        SpecException e = assertThrows(SpecException.class, () -> plan(s, rootless));
        assertEquals("process.user.additionalGids: cannot be set in a rootless user namespace, "
                + "where setgroups is denied: invalid argument", e.getMessage());
    }

    @Test
    void joinedNamespacesComeFirstUserFirstAndTimeIsUnsharedBeforeTheClone() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        linux(s).withArray("namespaces").addObject().put("type", "network").put("path", "/run/netns/a");
        linux(s).withArray("namespaces").addObject().put("type", "user").put("path", "/proc/1/ns/user");
        namespace(s, "time");
        namespace(s, "pid");
        linux(s).putObject("timeOffsets").putObject("monotonic").put("secs", 86400).put("nanosecs", 5);
        process(s).put("oomScoreAdj", -500);

        LaunchPlan plan = plan(s);

        assertEquals(List.of(
                new NamespaceStep.SetOomScoreAdj(-500),
                new NamespaceStep.JoinNamespace(NamespaceType.USER, "/proc/1/ns/user"),
                new NamespaceStep.JoinNamespace(NamespaceType.NETWORK, "/run/netns/a"),
                new NamespaceStep.UnshareTime(List.of(new NamespaceStep.ClockOffset("monotonic", 86400, 5))),
                new NamespaceStep.CreateNamespaces(NamespaceType.PID.cloneFlag() | NamespaceType.MOUNT.cloneFlag())),
                plan.steps().subList(0, 5));
        assertEquals(List.of(), plan.stepsOf(NamespaceStep.BringUpLoopback.class), "a joined netns is left alone");
    }

    @Test
    void specDevicesReplaceDefaultsAndKeepTheirModes() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        var devices = linux(s).putArray("devices");
        devices.addObject().put("path", "/dev/null").put("type", "c").put("major", 1).put("minor", 3)
                .put("fileMode", 0620).put("uid", 5).put("gid", 6);
        devices.addObject().put("path", "/dev/fuse").put("type", "u").put("major", 10).put("minor", 229)
                .put("fileMode", 020666);
        devices.addObject().put("path", "/dev/sda").put("type", "b").put("major", 8).put("minor", 0);
        devices.addObject().put("path", "/run/fifo").put("type", "p");

        List<FilesystemStep.MakeDevice> nodes = plan(s).stepsOf(FilesystemStep.MakeDevice.class);

        assertEquals(9, nodes.size());
        assertEquals("/dev/zero", nodes.get(0).path());
        assertEquals(new FilesystemStep.MakeDevice("/dev/null", DeviceKind.CHAR, 1, 3, 0620, 5, 6,
                "linux.devices[0]"), nodes.get(5));
        assertEquals(new FilesystemStep.MakeDevice("/dev/fuse", DeviceKind.CHAR, 10, 229, 0666, 0, 0,
                "linux.devices[1]"), nodes.get(6));
        assertEquals(DeviceKind.BLOCK, nodes.get(7).kind());
        assertEquals(new FilesystemStep.MakeDevice("/run/fifo", DeviceKind.FIFO, 0, 0, 0666, 0, 0,
                "linux.devices[3]"), nodes.get(8));
    }

    @Test
    void sysctlsAreWrittenThroughTheContainersProcBeforeItIsMadeReadOnly() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        namespace(s, "network");
        mount(s, "/proc", "proc", "proc");
        linux(s).putObject("sysctl").put("net.ipv4.ip_forward", "1").put("net/ipv4/conf/eth0.1/rp_filter", "2");
        linux(s).putArray("readonlyPaths").add("/proc/sys");

        LaunchPlan plan = plan(s);
        List<ProcessStep.WriteSysctl> sysctls = plan.stepsOf(ProcessStep.WriteSysctl.class);

        assertEquals(List.of(
                new ProcessStep.WriteSysctl("/proc/sys/net/ipv4/ip_forward", "1", "linux.sysctl[\"net.ipv4.ip_forward\"]"),
                new ProcessStep.WriteSysctl("/proc/sys/net/ipv4/conf/eth0.1/rp_filter", "2",
                        "linux.sysctl[\"net/ipv4/conf/eth0.1/rp_filter\"]")), sysctls);
        int readonly = plan.indexOf(new MountStep.ReadonlyPath("/proc/sys", "linux.readonlyPaths[0]"));
        assertTrue(lastIndex(plan, ProcessStep.WriteSysctl.class) < readonly);
        assertTrue(firstIndex(plan, FilesystemStep.EnterRoot.class) < firstIndex(plan, ProcessStep.WriteSysctl.class));
    }

    @Test
    void sysctlsNeedProcMounted() {
        ObjectNode s = TestSpecs.minimal();
        namespace(s, "ipc");
        linux(s).putObject("sysctl").put("kernel.shmmax", "1");

        assertEquals("linux.sysctl: needs a proc filesystem mounted at /proc: invalid argument",
                assertThrows(SpecException.class, () -> plan(s)).getMessage());
    }

    @Test
    void noPivotMovesTheRootAndRefusesPrivatePropagation() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        PlanOptions noPivot = PlanOptions.defaults().withNoPivotRoot(true);

        assertEquals(RootSwitch.MOVE_ROOT, plan(s, noPivot).stepsOf(FilesystemStep.EnterRoot.class).get(0).how());

        linux(s).put("rootfsPropagation", "rprivate");
        assertEquals("linux.rootfsPropagation: \"rprivate\" is not safe without pivot_root: invalid argument",
                assertThrows(SpecException.class, () -> plan(s, noPivot)).getMessage());
        assertEquals(new MountStep.SetPropagation("/", MountFlags.MS_PRIVATE | MountFlags.MS_REC,
                "linux.rootfsPropagation"), plan(s).stepsOf(MountStep.SetPropagation.class).get(0));
    }

    @Test
    void withoutAMountNamespaceTheRootfsIsOnlyChrootedInto() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        linux(s).putArray("namespaces");

        LaunchPlan plan = plan(s);

        assertEquals(List.of(), plan.stepsOf(MountStep.Mount.class));
        assertEquals(List.of(new FilesystemStep.EnterRoot(RootSwitch.CHROOT, rootfs.toString())),
                plan.stepsOf(FilesystemStep.EnterRoot.class));

        mount(s, "/tmp", "tmpfs", "tmpfs");
        assertEquals("mounts: cannot be mounted without a mount namespace: invalid argument",
                assertThrows(SpecException.class, () -> plan(s)).getMessage());
    }

    @Test
    void theRootfsMustBeARealDirectory() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        s.putObject("root").put("path", "missing");
        SpecException e = assertThrows(SpecException.class, () -> plan(s));
        assertTrue(JctrException.is(e, JctrException.Kind.NOT_FOUND));
        assertEquals("root.path: \"" + bundle.resolve("missing") + "\" is not a directory: not found", e.getMessage());

        Files.createSymbolicLink(bundle.resolve("link"), Path.of("rootfs"));
        s.putObject("root").put("path", "link");
        assertEquals("root.path: \"" + bundle.resolve("link") + "\" is reached through a symbolic link (it is \""
                + rootfs + "\"): invalid argument", assertThrows(SpecException.class, () -> plan(s)).getMessage());
    }

    @Test
    void aSpecWithoutProcessCannotBeStarted() {
        ObjectNode s = TestSpecs.minimal();
        s.remove("process");

        assertEquals("process: must be set to start a container: invalid argument",
                assertThrows(SpecException.class, () -> plan(s)).getMessage());
    }

    @Test
    void capabilitiesTheKernelLacksAreLeftOutWithAWarning() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        var caps = process(s).putObject("capabilities");
        caps.putArray("bounding").add("CAP_CHOWN").add("CAP_CHECKPOINT_RESTORE");
        caps.putArray("permitted").add("CAP_CHOWN").add("CAP_NET_RAW");
        caps.putArray("inheritable").add("CAP_NET_RAW");
        caps.putArray("ambient").add("CAP_NET_RAW");

        LaunchPlan plan = plan(s, PlanOptions.defaults().withLastCap(39));

        assertEquals(new IdentityStep.DropBoundingSet(Capability.CAP_CHOWN.bit(), 39),
                plan.stepsOf(IdentityStep.DropBoundingSet.class).get(0));
        assertEquals(new IdentityStep.SetCapabilities(0, Capability.CAP_CHOWN.bit() | Capability.CAP_NET_RAW.bit(),
                Capability.CAP_NET_RAW.bit()), plan.stepsOf(IdentityStep.SetCapabilities.class).get(0));
        assertEquals(new IdentityStep.SetAmbient(Capability.CAP_NET_RAW.bit(), 39),
                plan.stepsOf(IdentityStep.SetAmbient.class).get(0));
        assertEquals(List.of("process.capabilities.bounding: CAP_CHECKPOINT_RESTORE is unknown to this "
                + "kernel (cap_last_cap 39); not granted"), plan.warnings());
    }

    @Test
    void theWholeSpecificationExamplePlansEverySetting() throws IOException {
        ObjectNode s = (ObjectNode) TestSpecs.tree(new String(
                TestSpecs.resource("oci-1.1-full.json"), java.nio.charset.StandardCharsets.UTF_8));
        Files.createDirectories(rootfs.resolve("root"));
        s.putObject("hooks").putArray("createContainer").addObject().put("path", "/usr/bin/hook").put("timeout", 3);

        LaunchPlan plan = plan(s);

        assertEquals(new NamespaceStep.SetOomScoreAdj(100), plan.steps().get(0));
        assertEquals(List.of(new ProcessStep.SetScheduler(3, 1, 5, 0, 0, 0, 0)),
                plan.stepsOf(ProcessStep.SetScheduler.class));
        assertEquals(List.of(new ProcessStep.SetIoPriority(3, 4)), plan.stepsOf(ProcessStep.SetIoPriority.class));
        assertEquals(List.of(new ProcessStep.SetDomainname("foobarbaz.test")),
                plan.stepsOf(ProcessStep.SetDomainname.class));
        assertEquals(List.of(new ProcessStep.SetPersonality(0)), plan.stepsOf(ProcessStep.SetPersonality.class));
        assertEquals(List.of(new ProcessStep.SetRlimit(4, 1024, 1024, "process.rlimits[0]"),
                new ProcessStep.SetRlimit(7, 1024, -1, "process.rlimits[1]")), plan.stepsOf(ProcessStep.SetRlimit.class));
        assertEquals(new IdentityStep.SwitchUser(1, 1, List.of(5L, 6L), true),
                plan.stepsOf(IdentityStep.SwitchUser.class).get(0));
        assertEquals(List.of(new ProcessStep.SetUmask(0022), new ProcessStep.SetUmask(0),
                new ProcessStep.SetUmask(0022), new ProcessStep.SetUmask(63)), plan.stepsOf(ProcessStep.SetUmask.class));
        assertEquals(List.of(new ProcessStep.RunHooks(ProcessStep.HookPhase.CREATE_CONTAINER,
                List.of(new ProcessStep.HookCommand("/usr/bin/hook", List.of(), List.of(), 3)))),
                plan.stepsOf(ProcessStep.RunHooks.class));
        assertTrue(plan.indexOf(plan.stepsOf(ProcessStep.RunHooks.class).get(0))
                < firstIndex(plan, FilesystemStep.EnterRoot.class));
        assertEquals(List.of(new ProcessStep.ApplyApparmorProfile("acme_secure_profile")),
                plan.stepsOf(ProcessStep.ApplyApparmorProfile.class));
        assertTrue(firstIndex(plan, ProcessStep.SetSelinuxLabel.class) < firstIndex(plan, IdentityStep.SwitchUser.class));
    }
}
