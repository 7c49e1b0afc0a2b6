package io.jctr.plugins.snapshots.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.snapshots.Mount;
import io.jctr.spi.snapshots.SnapshotKind;
import io.jctr.spi.snapshots.Snapshotter;
import io.jctr.spi.snapshots.SnapshotterContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshotter contract on overlayfs, plus the mounts' exact shape and crash leftovers. */
class OverlaySnapshotterTest extends SnapshotterContract {

    private final Mounter mounter = new Mounter(Posix.system());

    @Override
    protected Snapshotter newSnapshotter(Path root) throws Exception {
        return new OverlaySnapshotter(root);
    }

    @Override
    protected void mount(List<Mount> mounts, Path target) throws Exception {
        mounter.mountAll(mounts, target);
    }

    @Override
    protected void unmount(Path target) throws Exception {
        mounter.unmountAll(target);
    }

    @Test
    void mountsHaveContainerdsShape() throws Exception {
        Path snapshots = work().resolve("root/snapshots");
        List<String> index = Files.exists(Path.of("/sys/module/overlay/parameters/index")) ? List.of("index=off") : List.of();

        assertEquals(List.of(new Mount("bind", snapshots.resolve("1/fs").toString(), List.of("rbind", "rw"))),
                snapshotter().prepare("a", "", null));
        snapshotter().commit("base", "a", null);
        assertEquals(List.of(new Mount("bind", snapshots.resolve("2/fs").toString(), List.of("rbind", "ro"))),
                snapshotter().view("empty-view", "", null));

        List<String> options = new ArrayList<>(index);
        options.addAll(List.of("workdir=" + snapshots.resolve("3/work"), "upperdir=" + snapshots.resolve("3/fs"),
                "lowerdir=" + snapshots.resolve("1/fs")));
        assertEquals(List.of(new Mount("overlay", "overlay", options)), snapshotter().prepare("b", "base", null));
        snapshotter().commit("child", "b", null);

        assertEquals(List.of(new Mount("bind", snapshots.resolve("1/fs").toString(), List.of("rbind", "ro"))),
                snapshotter().view("view-1", "base", null));
        List<String> viewOptions = new ArrayList<>(index);
        viewOptions.add("lowerdir=" + snapshots.resolve("3/fs") + ":" + snapshots.resolve("1/fs"));
        assertEquals(List.of(new Mount("overlay", "overlay", viewOptions)), snapshotter().view("view-2", "child", null));
        assertFalse(Files.exists(snapshots.resolve("5/work")), "views need no work directory");
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
        // What a crash between creating a snapshot's directory and writing its record leaves.
        Path orphan = Files.createDirectories(work().resolve("root/snapshots/7/fs"));
        Files.writeString(orphan.resolve("stale"), "x");

        Snapshotter reopened = reopen();
        List<Mount> mounts = reopened.prepare("next", "", null);
        assertEquals(work().resolve("root/snapshots/8/fs").toString(), mounts.get(0).source());
        reopened.cleanup();
        assertFalse(Files.exists(work().resolve("root/snapshots/7")));
        assertTrue(Files.isDirectory(work().resolve("root/snapshots/1/fs")));
        assertTrue(Files.isDirectory(work().resolve("root/snapshots/8/fs")));
    }

    @Test
    void aRootThatOverlayOptionsCannotCarryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OverlaySnapshotter(work().resolve("a:b")));
        assertThrows(IllegalArgumentException.class, () -> new OverlaySnapshotter(work().resolve("a,b")));
    }
}
