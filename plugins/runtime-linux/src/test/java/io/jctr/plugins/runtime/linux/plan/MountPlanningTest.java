package io.jctr.plugins.runtime.linux.plan;

import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_BIND;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NODEV;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOEXEC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOSUID;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_PRIVATE;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_RDONLY;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REMOUNT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.FilesystemStep.PathKind;
import io.jctr.plugins.runtime.linux.plan.PlanOptions.CgroupMountSource;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mount destinations resolved inside hostile rootfs trees, binds, read-only, cgroups. */
class MountPlanningTest extends PlannerTestBase {

    @Test
    void aProcSymlinkToTheHostIsRefused() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("proc"), Path.of("/host-path"));
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/proc", "proc", "proc");

        SpecException e = assertThrows(SpecException.class, () -> plan(s));

        assertEquals("mounts[0].destination: \"/proc\" must be mounted on ordinary directory: a proc mount "
                + "may not go on a symbolic link or other file: invalid argument", e.getMessage());
    }

    @Test
    void sysfsBehindASymlinkedParentIsRefused() throws IOException {
        Files.createDirectories(rootfs.resolve("real"));
        Files.createSymbolicLink(rootfs.resolve("sys"), Path.of("real"));
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/sys/kernel", "sysfs", "sysfs");

        SpecException e = assertThrows(SpecException.class, () -> plan(s));

        assertTrue(e.getMessage().startsWith("mounts[0].destination: \"/sys/kernel\" must be mounted on ordinary directory"));
    }

    @Test
    void otherMountsFollowSymlinksButStayInsideTheRootfs() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("run"), Path.of("/host-path"));
        Files.createDirectories(rootfs.resolve("var"));
        Files.createSymbolicLink(rootfs.resolve("var/tmp"), Path.of("../../../../../../tmp"));
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/run", "tmpfs", "tmpfs", "mode=755");
        mount(s, "/var/tmp", "tmpfs", "tmpfs", "mode=1777");

        List<MountStep.Mount> mounts = plan(s).stepsOf(MountStep.Mount.class);

        assertEquals("/host-path", mounts.get(0).target());
        assertEquals("/tmp", mounts.get(1).target());
    }

    @Test
    void aSymlinkLoopOnADestinationIsReportedAtItsPath() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(rootfs.resolve("b"), Path.of("a"));
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/a/data", "tmpfs", "tmpfs");

        SpecException e = assertThrows(SpecException.class, () -> plan(s));

        assertEquals("mounts[0].destination: too many levels of symbolic links resolving \"/a/data\" "
                + "in the rootfs: invalid argument", e.getMessage());
    }

    @Test
    void mountsBelowAnEarlierMountAreNotResolvedThroughTheHiddenDisk() throws IOException {
        Files.createDirectories(rootfs.resolve("dev"));
        Files.createSymbolicLink(rootfs.resolve("dev/pts"), Path.of("/etc"));
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/dev", "tmpfs", "tmpfs");
        mount(s, "/dev/pts", "devpts", "devpts");

        // On disk dev/pts leads to /etc, but once the tmpfs is on /dev that link is gone.
        assertEquals(List.of("/dev", "/dev/pts"), plan(s).stepsOf(MountStep.Mount.class).stream()
                .filter(m -> !m.fstype().isEmpty()).map(MountStep.Mount::target).toList());
    }

    @Test
    void relativeDestinationsAreResolvedFromTheRoot() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        mount(s, "data", "tmpfs", "tmpfs");

        assertEquals("/data", plan(s).stepsOf(MountStep.Mount.class).get(0).target());
    }

    @Test
    void bindMountsResolveSourcesInTheBundleAndRemountForFlags() throws IOException {
        Files.createDirectories(bundle.resolve("volumes/data"));
        Files.writeString(bundle.resolve("hosts"), "127.0.0.1 localhost\n");
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/data", "none", "volumes/data", "rbind", "ro", "nosuid", "rprivate");
        mount(s, "/etc/hosts", null, "hosts", "bind");

        LaunchPlan plan = plan(s);
        String data = bundle.resolve("volumes/data").toString();

        int at = plan.indexOf(new FilesystemStep.MakePath("/data", PathKind.DIRECTORY, "mounts[0]"));
        assertEquals(List.of(
                new FilesystemStep.MakePath("/data", PathKind.DIRECTORY, "mounts[0]"),
                new MountStep.Mount(data, "/data", "", MS_BIND | MS_REC, "", "mounts[0]"),
                new MountStep.SetPropagation("/data", MS_PRIVATE | MS_REC, "mounts[0]"),
                new MountStep.Remount("/data", MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID | MS_REMOUNT,
                        "mounts[0]"),
                new FilesystemStep.MakePath("/etc/hosts", PathKind.FILE, "mounts[1]"),
                new MountStep.Mount(bundle.resolve("hosts").toString(), "/etc/hosts", "", MS_BIND, "",
                        "mounts[1]")),
                plan.steps().subList(at, at + 6));
    }

    @Test
    void aMissingBindSourceIsNotFound() {
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/data", "none", "/nonexistent/source", "bind");

        SpecException e = assertThrows(SpecException.class, () -> plan(s));

        assertTrue(JctrException.is(e, JctrException.Kind.NOT_FOUND));
        assertEquals("mounts[0].source: \"/nonexistent/source\" does not exist: not found", e.getMessage());
    }

    @Test
    void onlyProcMayCoverProcAndOnlyLxcfsFilesLieBelow() throws IOException {
        Files.writeString(bundle.resolve("cpuinfo"), "processor: 0\n");
        ObjectNode bindOverProc = TestSpecs.minimal();
        mount(bindOverProc, "/proc", "none", bundle.toString(), "bind");
        assertEquals("mounts[0].destination: \"/proc\" can only be mounted with a proc filesystem: invalid argument",
                assertThrows(SpecException.class, () -> plan(bindOverProc)).getMessage());

        ObjectNode bindIntoProc = TestSpecs.minimal();
        mount(bindIntoProc, "/proc", "proc", "proc");
        mount(bindIntoProc, "/proc/self/attr", "none", bundle.toString(), "bind");
        assertEquals("mounts[1].destination: \"/proc/self/attr\" is inside /proc: invalid argument",
                assertThrows(SpecException.class, () -> plan(bindIntoProc)).getMessage());

        ObjectNode lxcfs = TestSpecs.minimal();
        mount(lxcfs, "/proc", "proc", "proc");
        mount(lxcfs, "/proc/cpuinfo", "none", "cpuinfo", "bind");
        assertEquals("/proc/cpuinfo", plan(lxcfs).stepsOf(MountStep.Mount.class).get(1).target());
    }

    @Test
    void readOnlyTmpfsIsRemountedOnlyAfterTheRootSwitch() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/dev", "tmpfs", "tmpfs", "ro", "nosuid", "mode=755");

        LaunchPlan plan = plan(s);
        MountStep.Remount remount = new MountStep.Remount("/dev",
                MS_RDONLY | MS_NOSUID | MS_REMOUNT | MS_BIND, "mounts[0]");

        assertEquals(MS_NOSUID, plan.stepsOf(MountStep.Mount.class).get(0).flags());
        assertTrue(plan.indexOf(remount) > lastIndex(plan, FilesystemStep.MakeDevice.class));
        assertTrue(plan.indexOf(remount) > firstIndex(plan, FilesystemStep.EnterRoot.class));
    }

    @Test
    void aTmpfsKeepsTheModeOfTheDirectoryItCoversUnlessModeIsGiven() throws IOException {
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.setAttribute(rootfs.resolve("tmp"), "unix:mode", 01777);
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/tmp", "tmpfs", "tmpfs", "size=1m");
        mount(s, "/run", "tmpfs", "tmpfs");
        mount(s, "/var", "tmpfs", "tmpfs", "mode=700");
        Files.createDirectories(rootfs.resolve("var"));

        assertEquals(List.of(new FilesystemStep.Chmod("/tmp", 01777, "mounts[0]")),
                plan(s).stepsOf(FilesystemStep.Chmod.class));
    }

    @Test
    void recursiveAttributesFollowTheMount() throws IOException {
        Files.createDirectories(bundle.resolve("vol"));
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/vol", "none", "vol", "rbind", "rro");

        LaunchPlan plan = plan(s);

        assertEquals(List.of(new MountStep.SetMountAttr("/vol", MountFlags.MOUNT_ATTR_RDONLY, 0, "mounts[0]")),
                plan.stepsOf(MountStep.SetMountAttr.class));
        assertTrue(plan.indexOf(plan.stepsOf(MountStep.SetMountAttr.class).get(0)) > indexOfMountAt(plan, "/vol"));
    }

    @Test
    void aBindMountedDevIsNotPopulated() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/dev", "none", "/dev", "rbind");

        LaunchPlan plan = plan(s);

        assertEquals(List.of(), plan.stepsOf(FilesystemStep.MakeDevice.class));
        assertEquals(List.of(), plan.stepsOf(FilesystemStep.Symlink.class));
        assertEquals(List.of(), plan.stepsOf(FilesystemStep.ReopenDevNull.class));
    }

    @Test
    void cgroupV1BecomesATmpfsWithOneDirectoryPerHierarchy() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        mount(s, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "ro");
        PlanOptions opts = PlanOptions.defaults().withCgroups(new CgroupMountSource.Legacy(List.of(
                new CgroupMountSource.Hierarchy("cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/default/c1"),
                new CgroupMountSource.Hierarchy("memory", "/sys/fs/cgroup/memory/default/c1"))));

        LaunchPlan plan = plan(s, opts);
        long defaults = MS_NOEXEC | MS_NOSUID | MS_NODEV;
        long flags = defaults | MS_RDONLY;
        int at = indexOfMountAt(plan, "/sys/fs/cgroup");

        assertEquals(List.of(
                new MountStep.Mount("tmpfs", "/sys/fs/cgroup", "tmpfs", defaults, "mode=755", "mounts[0]"),
                new FilesystemStep.MakePath("/sys/fs/cgroup/cpu,cpuacct", PathKind.DIRECTORY, "mounts[0]"),
                new MountStep.Mount("/sys/fs/cgroup/cpu,cpuacct/default/c1", "/sys/fs/cgroup/cpu,cpuacct", "",
                        MS_BIND | MS_REC, "", "mounts[0]"),
                new MountStep.Remount("/sys/fs/cgroup/cpu,cpuacct", MS_REC | flags | MS_BIND | MS_REMOUNT,
                        "mounts[0]"),
                new FilesystemStep.MakePath("/sys/fs/cgroup/memory", PathKind.DIRECTORY, "mounts[0]"),
                new MountStep.Mount("/sys/fs/cgroup/memory/default/c1", "/sys/fs/cgroup/memory", "",
                        MS_BIND | MS_REC, "", "mounts[0]"),
                new MountStep.Remount("/sys/fs/cgroup/memory", MS_REC | flags | MS_BIND | MS_REMOUNT,
                        "mounts[0]"),
                new FilesystemStep.Symlink("cpu,cpuacct", "/sys/fs/cgroup/cpu", false),
                new FilesystemStep.Symlink("cpu,cpuacct", "/sys/fs/cgroup/cpuacct", false)),
                plan.steps().subList(at, at + 9));
        MountStep.Remount tmpfsReadonly = new MountStep.Remount("/sys/fs/cgroup",
                defaults | MS_RDONLY | MS_REMOUNT | MS_BIND, "mounts[0]");
        assertTrue(plan.indexOf(tmpfsReadonly) > firstIndex(plan, FilesystemStep.EnterRoot.class));
    }

    @Test
    void cgroupV1WithACgroupNamespaceMountsEachHierarchy() throws IOException {
        ObjectNode s = TestSpecs.minimal();
        namespace(s, "cgroup");
        mount(s, "/sys/fs/cgroup", "cgroup", "cgroup");
        PlanOptions opts = PlanOptions.defaults().withCgroups(new CgroupMountSource.Legacy(List.of(
                new CgroupMountSource.Hierarchy("systemd", "/ignored"),
                new CgroupMountSource.Hierarchy("pids", "/ignored"))));

        List<MountStep.Mount> mounts = plan(s, opts).stepsOf(MountStep.Mount.class);
        long defaults = MS_NOEXEC | MS_NOSUID | MS_NODEV;

        assertEquals(new MountStep.Mount("systemd", "/sys/fs/cgroup/systemd", "cgroup", defaults,
                "name=systemd", "mounts[0]"), mounts.get(1));
        assertEquals(new MountStep.Mount("cgroup", "/sys/fs/cgroup/pids", "cgroup", defaults, "pids",
                "mounts[0]"), mounts.get(2));
    }

    @Test
    void cgroupV2InAUserNamespaceWithoutCgroupNamespaceIsABind() throws IOException {
        ObjectNode s = userNamespaceSpec();
        mount(s, "/sys/fs/cgroup", "cgroup", "cgroup", "ro");
        PlanOptions opts = PlanOptions.defaults().withCgroups(new CgroupMountSource.Unified("/sys/fs/cgroup/c1"));

        LaunchPlan plan = plan(s, opts);
        int at = indexOfMountAt(plan, "/sys/fs/cgroup");

        assertEquals(List.of(
                new MountStep.Mount("/sys/fs/cgroup/c1", "/sys/fs/cgroup", "", MS_BIND, "", "mounts[0]"),
                new MountStep.Remount("/sys/fs/cgroup", MS_RDONLY | MS_BIND | MS_REMOUNT, "mounts[0]")),
                plan.steps().subList(at, at + 2));
    }

    @Test
    void unsupportedMountFeaturesSaySo() throws IOException {
        Files.createDirectories(bundle.resolve("vol"));
        ObjectNode copyup = TestSpecs.minimal();
        mount(copyup, "/tmp", "tmpfs", "tmpfs", "tmpcopyup");
        SpecException e = assertThrows(SpecException.class, () -> plan(copyup));
        assertEquals("mounts[0].options: tmpcopyup is not supported: not implemented", e.getMessage());

        ObjectNode idmap = userNamespaceSpec();
        mount(idmap, "/vol", "none", "vol", "rbind", "idmap");
        assertEquals("mounts[0]: id-mapped mounts are not supported yet: not implemented",
                assertThrows(SpecException.class, () -> plan(idmap)).getMessage());
    }

    static ObjectNode userNamespaceSpec() {
        ObjectNode s = TestSpecs.minimal();
        namespace(s, "user");
        linux(s).putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        linux(s).putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        return s;
    }
}
