package io.jctr.plugins.snapshots.nativefs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.snapshots.Mount;
import io.jctr.spi.snapshots.SnapshotKind;
import io.jctr.spi.snapshots.Snapshotter;
import io.jctr.spi.snapshots.SnapshotterContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The snapshotter contract on copies, plus what only copying can get wrong and crash leftovers. */
class NativeSnapshotterTest extends SnapshotterContract {

    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFSOCK = 0140000;

    @Override
    protected Snapshotter newSnapshotter(Path root) throws Exception {
        return new NativeSnapshotter(root);
    }

    @Override
    protected void mount(List<Mount> mounts, Path target) throws Exception {
        BindMounts.mount(mounts, target);
    }

    @Override
    protected void unmount(Path target) throws Exception {
        BindMounts.unmount(target);
    }

    @Test
    void everySnapshotIsOneBindMountOfItsDirectory() throws Exception {
        Path snapshots = work().resolve("root/snapshots");
        assertEquals(List.of(new Mount("bind", snapshots.resolve("1").toString(), List.of("rbind", "rw"))),
                snapshotter().prepare("a", "", null));
        snapshotter().commit("base", "a", null);
        assertEquals(List.of(new Mount("bind", snapshots.resolve("2").toString(), List.of("rbind", "ro"))),
                snapshotter().view("v", "base", null));
        assertEquals(List.of(new Mount("bind", snapshots.resolve("3").toString(), List.of("rbind", "rw"))),
                snapshotter().prepare("b", "base", null));
    }

    @Test
    @Tag("root")
    void copiesDevicesFifosSocketsAndXattrsOfEveryNamespace() throws Exception {
        Posix posix = Posix.system();
        Path dir = mountAt(snapshotter().prepare("a", "", null));
        posix.mknod(dir.resolve("null"), S_IFCHR | 0666, (1 << 8) | 3);
        posix.mknod(dir.resolve("fifo"), S_IFIFO | 0620, 0);
        posix.mknod(dir.resolve("socket"), S_IFSOCK | 0755, 0);
        posix.chmod(dir.resolve("null"), 0666); // mknod(2) applies the umask
        posix.chmod(dir.resolve("fifo"), 0620);
        Files.writeString(dir.resolve("ping"), "binary");
        posix.setXattr(dir.resolve("ping"), "trusted.jctr", "t".getBytes(StandardCharsets.UTF_8));
        posix.setXattr(dir.resolve("ping"), "security.capability", capNetRaw());
        Files.createSymbolicLink(dir.resolve("link"), Path.of("ping"));
        posix.setXattr(dir.resolve("link"), "trusted.link", "l".getBytes(StandardCharsets.UTF_8));
        unmountAt(dir);
        snapshotter().commit("base", "a", null);

        Path child = mountAt(snapshotter().prepare("child", "base", null));
        assertEquals(0020666, Files.getAttribute(child.resolve("null"), "unix:mode", LinkOption.NOFOLLOW_LINKS));
        assertEquals((long) ((1 << 8) | 3), Files.getAttribute(child.resolve("null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS));
        assertEquals(0010620, Files.getAttribute(child.resolve("fifo"), "unix:mode", LinkOption.NOFOLLOW_LINKS));
        assertEquals(0140755, Files.getAttribute(child.resolve("socket"), "unix:mode", LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals("t".getBytes(StandardCharsets.UTF_8), posix.getXattr(child.resolve("ping"), "trusted.jctr"));
        assertArrayEquals(capNetRaw(), posix.getXattr(child.resolve("ping"), "security.capability"));
        assertArrayEquals("l".getBytes(StandardCharsets.UTF_8), posix.getXattr(child.resolve("link"), "trusted.link"));
    }

    @Test
    void anInterruptedRecordWriteLeavesTheOldRecord() throws Exception {
        snapshotter().prepare("a", "", Map.of("v", "1"));
        Path metadata = work().resolve("root/metadata");
        // What a crash between writing the committed record and renaming it over the active one leaves.
        Files.writeString(metadata.resolve("1.snap.tmp"), "kind=COMMITTED\nkey=half");

        Snapshotter reopened = reopen();
        assertEquals(SnapshotKind.ACTIVE, reopened.stat("a").kind());
        assertEquals(Map.of("v", "1"), reopened.stat("a").labels());
        assertFalse(Files.exists(metadata.resolve("1.snap.tmp")));
        reopened.commit("base", "a", null);
        assertEquals(SnapshotKind.COMMITTED, reopen().stat("base").kind());
    }

    @Test
    void orphanedDirectoriesAreNeverReusedAndCleanupDeletesThem() throws Exception {
        snapshotter().prepare("live", "", null);
        // What a crash while copying a parent, before the snapshot's record was written, leaves.
        Path orphan = Files.createDirectories(work().resolve("root/snapshots/7/half-copied"));
        Files.writeString(orphan.resolve("file"), "x");

        Snapshotter reopened = reopen();
        assertEquals(work().resolve("root/snapshots/8").toString(), reopened.prepare("next", "", null).get(0).source());
        reopened.cleanup();
        assertFalse(Files.exists(work().resolve("root/snapshots/7")));
        assertTrue(Files.isDirectory(work().resolve("root/snapshots/1")));
        assertTrue(Files.isDirectory(work().resolve("root/snapshots/8")));
    }

    /** A version-2 file capability granting cap_net_raw (bit 13), permitted and effective. */
    private static byte[] capNetRaw() {
        byte[] cap = new byte[20];
        cap[0] = 0x01; // VFS_CAP_FLAGS_EFFECTIVE
        cap[3] = 0x02; // VFS_CAP_REVISION_2
        cap[5] = 0x20; // permitted, low word: 1 << 13
        return cap;
    }
}
