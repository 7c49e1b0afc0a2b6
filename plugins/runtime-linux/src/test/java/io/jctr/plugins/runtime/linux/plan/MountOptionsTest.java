package io.jctr.plugins.runtime.linux.plan;

import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_NOATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_NOEXEC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_NOSUID;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR_RDONLY;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MOUNT_ATTR__ATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_BIND;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NODEV;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOEXEC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOSUID;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_PRIVATE;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_RDONLY;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_RELATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_SHARED;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_SLAVE;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_STRICTATIME;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_UNBINDABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MountOptionsTest {

    /** Every flag option of runc's table, with the kernel value of its MS_* flag (hex). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "acl, 10000", "bind, 1000", "dirsync, 80", "iversion, 800000", "lazytime, 2000000",
        "mand, 40", "noatime, 400", "nodev, 4", "nodiratime, 800", "noexec, 8", "nosuid, 2",
        "nosymfollow, 100", "rbind, 5000", "relatime, 200000", "remount, 20", "ro, 1",
        "silent, 8000", "strictatime, 1000000", "sync, 10",
    })
    void setsFlags(String option, String hex) {
        MountOptions.Parsed p = MountOptions.parse(List.of(option));

        assertEquals(Long.parseLong(hex, 16), p.flags());
        assertEquals("", p.data());
    }

    /** The clearing options undo their counterpart when they come later. */
    @ParameterizedTest(name = "{1} after {0}")
    @CsvSource({
        "acl, noacl", "sync, async", "noatime, atime", "nodev, dev", "nodiratime, diratime",
        "noexec, exec", "iversion, noiversion", "lazytime, nolazytime", "silent, loud",
        "mand, nomand", "relatime, norelatime", "strictatime, nostrictatime", "nosuid, suid",
        "nosymfollow, symfollow", "ro, rw",
    })
    void clearsFlags(String set, String clear) {
        assertEquals(0, MountOptions.parse(List.of(set, clear)).flags());
        assertTrue(MountOptions.parse(List.of(clear, set)).flags() != 0, "the last option wins");
    }

    @Test
    void runcDefaultMountsSplitIntoFlagsAndData() {
        MountOptions.Parsed dev = MountOptions.parse(List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
        assertEquals(MS_NOSUID | MS_STRICTATIME, dev.flags());
        assertEquals("mode=755,size=65536k", dev.data());

        MountOptions.Parsed pts = MountOptions.parse(
                List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
        assertEquals(MS_NOSUID | MS_NOEXEC, pts.flags());
        assertEquals("newinstance,ptmxmode=0666,mode=0620,gid=5", pts.data());

        MountOptions.Parsed cgroup = MountOptions.parse(List.of("nosuid", "noexec", "nodev", "relatime", "ro"));
        assertEquals(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY, cgroup.flags());
        assertEquals("", cgroup.data());
    }

    @Test
    void propagationOptionsAreSeparateCallsInOrder() {
        MountOptions.Parsed p = MountOptions.parse(List.of("rbind", "rprivate", "slave", "rshared",
                "shared", "private", "rslave", "unbindable", "runbindable"));

        assertEquals(MS_BIND | MS_REC, p.flags());
        assertEquals(List.of(MS_PRIVATE | MS_REC, MS_SLAVE, MS_SHARED | MS_REC, MS_SHARED, MS_PRIVATE,
                MS_SLAVE | MS_REC, MS_UNBINDABLE, MS_UNBINDABLE | MS_REC), p.propagation());
    }

    @Test
    void recursiveAttributesGoToMountSetattr() {
        MountOptions.Parsed p = MountOptions.parse(List.of("rbind", "rro", "rnosuid", "rnoexec"));
        assertEquals(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, p.attrSet());
        assertEquals(0, p.attrClr());
        assertEquals(MS_BIND | MS_REC, p.flags());

        MountOptions.Parsed undone = MountOptions.parse(List.of("rro", "rrw"));
        assertEquals(0, undone.attrSet());
        assertEquals(MOUNT_ATTR_RDONLY, undone.attrClr());
    }

    @Test
    void recursiveAccessTimeSetsAModeAndClearsTheWholeMask() {
        MountOptions.Parsed noatime = MountOptions.parse(List.of("rnoatime"));
        assertEquals(MOUNT_ATTR_NOATIME, noatime.attrSet());
        assertEquals(MOUNT_ATTR__ATIME, noatime.attrClr());

        MountOptions.Parsed atime = MountOptions.parse(List.of("rnoatime", "ratime"));
        assertEquals(0, atime.attrSet(), "relatime is mode 0");
        assertEquals(MOUNT_ATTR__ATIME, atime.attrClr());
        assertTrue(atime.hasAttrs());
    }

    @Test
    void unknownOptionsAreFilesystemData() {
        MountOptions.Parsed p = MountOptions.parse(List.of("lowerdir=/a:/b", "ro", "upperdir=/u", "xino=off"));

        assertEquals(MS_RDONLY, p.flags());
        assertEquals("lowerdir=/a:/b,upperdir=/u,xino=off", p.data());
    }

    @Test
    void defaultsIsANoOpNotData() {
        MountOptions.Parsed p = MountOptions.parse(List.of("defaults"));

        assertEquals(0, p.flags());
        assertEquals("", p.data());
    }

    @Test
    void extensionsAreRecognised() {
        MountOptions.Parsed p = MountOptions.parse(List.of("ridmap", "tmpcopyup"));

        assertTrue(p.idmap() && p.recursiveIdmap() && p.tmpcopyup());
        assertFalse(MountOptions.parse(List.of("idmap")).recursiveIdmap());
        assertEquals("", p.data());
    }
}
