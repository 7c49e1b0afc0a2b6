package io.jctr.plugins.runtime.linux.plan;

import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_BIND;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NODEV;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOEXEC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOSUID;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_RDONLY;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_RELATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REMOUNT;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_SLAVE;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_STRICTATIME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.plugins.runtime.linux.plan.FilesystemStep.DeviceKind;
import io.jctr.plugins.runtime.linux.plan.FilesystemStep.PathKind;
import io.jctr.plugins.runtime.linux.plan.FilesystemStep.RootSwitch;
import io.jctr.plugins.runtime.linux.spec.Capability;
import io.jctr.plugins.runtime.linux.spec.NamespaceType;
import io.jctr.plugins.runtime.linux.spec.SpecParser;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan for runc's default spec, and the order of its steps. */
class LaunchPlannerTest extends PlannerTestBase {

    private LaunchPlan runcPlan() throws IOException {
        return LaunchPlanner.plan(SpecParser.parse(TestSpecs.resource("runc-spec.json")), bundle,
                PlanOptions.defaults());
    }

    @Test
    void minimalSpecGivesThisExactPlan() throws IOException {
        var s = TestSpecs.minimal();
        mount(s, "/proc", "proc", "proc");
        mount(s, "/dev", "tmpfs", "tmpfs", "nosuid", "mode=755");
        String root = rootfs.toString();

        LaunchPlan plan = plan(s);

        assertEquals(List.of(
                new NamespaceStep.CreateNamespaces(NamespaceType.MOUNT.cloneFlag()),
                new ProcessStep.SetUmask(0022),
                new MountStep.SetPropagation("/", MS_SLAVE | MS_REC, "linux.rootfsPropagation"),
                new MountStep.PrivatizeRootfsParent(root),
                new MountStep.BindRootfs(root),
                new FilesystemStep.MakePath("/proc", PathKind.DIRECTORY, "mounts[0]"),
                new MountStep.Mount("proc", "/proc", "proc", 0, "", "mounts[0]"),
                new FilesystemStep.MakePath("/dev", PathKind.DIRECTORY, "mounts[1]"),
                new MountStep.Mount("tmpfs", "/dev", "tmpfs", MS_NOSUID, "mode=755", "mounts[1]"),
                new ProcessStep.SetUmask(0),
                new FilesystemStep.MakePath("/dev", PathKind.DIRECTORY, ""),
                new FilesystemStep.MakeDevice("/dev/null", DeviceKind.CHAR, 1, 3, 0666, 0, 0, ""),
                new FilesystemStep.MakeDevice("/dev/zero", DeviceKind.CHAR, 1, 5, 0666, 0, 0, ""),
                new FilesystemStep.MakeDevice("/dev/full", DeviceKind.CHAR, 1, 7, 0666, 0, 0, ""),
                new FilesystemStep.MakeDevice("/dev/random", DeviceKind.CHAR, 1, 8, 0666, 0, 0, ""),
                new FilesystemStep.MakeDevice("/dev/urandom", DeviceKind.CHAR, 1, 9, 0666, 0, 0, ""),
                new FilesystemStep.MakeDevice("/dev/tty", DeviceKind.CHAR, 5, 0, 0666, 0, 0, ""),
                new ProcessStep.SetUmask(0022),
                new FilesystemStep.Symlink("pts/ptmx", "/dev/ptmx", true),
                new FilesystemStep.Symlink("/proc/self/fd", "/dev/fd", false),
                new FilesystemStep.Symlink("/proc/self/fd/0", "/dev/stdin", false),
                new FilesystemStep.Symlink("/proc/self/fd/1", "/dev/stdout", false),
                new FilesystemStep.Symlink("/proc/self/fd/2", "/dev/stderr", false),
                new FilesystemStep.Symlink("/proc/kcore", "/dev/core", false),
                new ProcessStep.SyncWithRuntime(ProcessStep.SyncPoint.CREATE_RUNTIME_HOOKS),
                new FilesystemStep.EnterRoot(RootSwitch.PIVOT_ROOT, root),
                new FilesystemStep.ReopenDevNull(),
                new FilesystemStep.MakePath("/", PathKind.DIRECTORY, "process.cwd"),
                new ProcessStep.SetUmask(0022),
                new ProcessStep.SyncWithRuntime(ProcessStep.SyncPoint.READY),
                new IdentityStep.Chdir("/"),
                new IdentityStep.DropBoundingSet(0, 40),
                new IdentityStep.SwitchUser(0, 0, List.of(), true),
                new IdentityStep.SetCapabilities(0, 0, 0),
                new IdentityStep.SetAmbient(0, 40),
                new IdentityStep.WaitForStart(),
                new IdentityStep.CloseInheritedFds(3),
                new IdentityStep.Exec(List.of("sh"), List.of())), plan.steps());
        assertEquals(List.of(), plan.warnings());
    }

    @Test
    void runcSpecCreatesItsNamespacesInOneCloneAndBringsUpLoopback() throws IOException {
        LaunchPlan plan = runcPlan();

        long flags = NamespaceType.PID.cloneFlag() | NamespaceType.NETWORK.cloneFlag()
                | NamespaceType.IPC.cloneFlag() | NamespaceType.UTS.cloneFlag()
                | NamespaceType.MOUNT.cloneFlag();
        assertEquals(new NamespaceStep.CreateNamespaces(flags), plan.steps().get(0));
        assertEquals(new NamespaceStep.BringUpLoopback(), plan.steps().get(1));
        assertEquals(0x6c020000L, flags);
    }

    @Test
    void runcSpecMountsWithTheFlagsAndDataOfItsOptions() throws IOException {
        List<MountStep.Mount> mounts = runcPlan().stepsOf(MountStep.Mount.class);

        assertEquals(List.of(
                new MountStep.Mount("proc", "/proc", "proc", 0, "", "mounts[0]"),
                new MountStep.Mount("tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_STRICTATIME,
                        "mode=755,size=65536k", "mounts[1]"),
                new MountStep.Mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
                        "newinstance,ptmxmode=0666,mode=0620,gid=5", "mounts[2]"),
                new MountStep.Mount("shm", "/dev/shm", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV,
                        "mode=1777,size=65536k", "mounts[3]"),
                new MountStep.Mount("mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NOEXEC | MS_NODEV,
                        "", "mounts[4]"),
                new MountStep.Mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RDONLY,
                        "", "mounts[5]"),
                new MountStep.Mount("cgroup", "/sys/fs/cgroup", "cgroup2",
                        MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY, "", "mounts[6]")),
                mounts);
    }

    @Test
    void runcSpecCapabilitiesBecomeMasks() throws IOException {
        LaunchPlan plan = runcPlan();
        long three = Capability.CAP_AUDIT_WRITE.bit() | Capability.CAP_KILL.bit()
                | Capability.CAP_NET_BIND_SERVICE.bit();

        assertEquals(List.of(new IdentityStep.DropBoundingSet(three, 40)),
                plan.stepsOf(IdentityStep.DropBoundingSet.class));
        assertEquals(List.of(new IdentityStep.SetCapabilities(three, three, 0)),
                plan.stepsOf(IdentityStep.SetCapabilities.class));
        // runc's spec asks for ambient capabilities but no inheritable ones, which the kernel
        // refuses to raise (runc ignores the EPERM); the plan leaves them out and says so.
        assertEquals(List.of(new IdentityStep.SetAmbient(0, 40)), plan.stepsOf(IdentityStep.SetAmbient.class));
        assertEquals(3, plan.warnings().size());
        assertEquals("process.capabilities.ambient[0]: CAP_AUDIT_WRITE is not in both the permitted "
                + "and the inheritable set; not raised", plan.warnings().get(0));
    }

    @Test
    void runcSpecProcessSteps() throws IOException {
        LaunchPlan plan = runcPlan();

        assertEquals(List.of(new ProcessStep.SetRlimit(7, 1024, 1024, "process.rlimits[0]")),
                plan.stepsOf(ProcessStep.SetRlimit.class));
        assertEquals(List.of(new ProcessStep.SetHostname("runc")), plan.stepsOf(ProcessStep.SetHostname.class));
        assertEquals(List.of(new FilesystemStep.BindConsole("/dev/console")),
                plan.stepsOf(FilesystemStep.BindConsole.class));
        assertEquals(new IdentityStep.Exec(List.of("sh"), List.of(
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm")),
                plan.steps().get(plan.steps().size() - 1));
        assertEquals(10, plan.stepsOf(MountStep.MaskPath.class).size());
        assertEquals(new MountStep.ReadonlyPath("/proc/sys", "linux.readonlyPaths[3]"),
                plan.stepsOf(MountStep.ReadonlyPath.class).get(3));
    }

    @Test
    void procIsMountedBeforePathsAreMasked() throws IOException {
        LaunchPlan plan = runcPlan();
        int proc = plan.indexOf(new MountStep.Mount("proc", "/proc", "proc", 0, "", "mounts[0]"));

        assertTrue(proc >= 0);
        assertTrue(proc < firstIndex(plan, MountStep.MaskPath.class));
        assertTrue(proc < firstIndex(plan, MountStep.ReadonlyPath.class));
    }

    @Test
    void devicesAreCreatedAfterTheDevTmpfsIsMounted() throws IOException {
        LaunchPlan plan = runcPlan();
        int devTmpfs = indexOfMountAt(plan, "/dev");

        assertTrue(devTmpfs < firstIndex(plan, FilesystemStep.MakeDevice.class));
        assertTrue(devTmpfs < firstIndex(plan, FilesystemStep.Symlink.class));
        assertEquals(6, plan.stepsOf(FilesystemStep.MakeDevice.class).size());
    }

    @Test
    void theRootIsRemountedReadOnlyAfterEveryMountAndTheRootSwitch() throws IOException {
        LaunchPlan plan = runcPlan();
        MountStep.Remount readonlyRoot =
                new MountStep.Remount("/", MS_BIND | MS_REMOUNT | MS_RDONLY, "root.readonly");
        int remount = plan.indexOf(readonlyRoot);

        assertTrue(remount > lastIndex(plan, MountStep.Mount.class));
        assertTrue(remount > lastIndex(plan, FilesystemStep.MakeDevice.class));
        assertTrue(remount > firstIndex(plan, FilesystemStep.EnterRoot.class));
        assertTrue(remount > firstIndex(plan, FilesystemStep.BindConsole.class));
    }

    @Test
    void everyMountHappensBeforeTheRootSwitchAndRestrictionsAfter() throws IOException {
        LaunchPlan plan = runcPlan();
        int enter = firstIndex(plan, FilesystemStep.EnterRoot.class);

        assertTrue(firstIndex(plan, MountStep.BindRootfs.class) < firstIndex(plan, MountStep.Mount.class));
        assertTrue(lastIndex(plan, MountStep.Mount.class) < enter);
        assertTrue(firstIndex(plan, ProcessStep.SyncWithRuntime.class) < enter);
        assertTrue(enter < firstIndex(plan, ProcessStep.SetHostname.class));
        assertTrue(enter < firstIndex(plan, MountStep.ReadonlyPath.class));
    }

    @Test
    void privilegesAreDroppedInTheKernelsOrderAndExecIsLast() throws IOException {
        LaunchPlan plan = runcPlan();
        int[] order = {
            firstIndex(plan, ProcessStep.SetRlimit.class),
            firstIndex(plan, IdentityStep.SetNoNewPrivileges.class),
            firstIndex(plan, IdentityStep.Chdir.class),
            firstIndex(plan, IdentityStep.DropBoundingSet.class),
            firstIndex(plan, IdentityStep.SwitchUser.class),
            firstIndex(plan, IdentityStep.SetCapabilities.class),
            firstIndex(plan, IdentityStep.SetAmbient.class),
            firstIndex(plan, IdentityStep.WaitForStart.class),
            firstIndex(plan, IdentityStep.CloseInheritedFds.class),
            firstIndex(plan, IdentityStep.Exec.class),
        };
        for (int i = 1; i < order.length; i++) {
            assertTrue(order[i - 1] < order[i], "step " + i + " out of order: " + plan.steps());
        }
        assertEquals(plan.steps().size() - 1, order[order.length - 1]);
        assertInstanceOf(NamespaceStep.class, plan.steps().get(0));
    }

    @Test
    void planningDoesNotChangeTheRootfs() throws IOException {
        runcPlan();

        try (var entries = java.nio.file.Files.list(rootfs)) {
            assertEquals(0, entries.count());
        }
    }
}
