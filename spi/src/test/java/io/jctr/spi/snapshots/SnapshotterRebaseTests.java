package io.jctr.spi.snapshots;

import static io.jctr.spi.snapshots.ContractFixture.assertKind;
import static io.jctr.spi.snapshots.SnapshotFixtures.writeTree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jctr.spi.JctrException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link Snapshotter#commit(String, String, String, Map)}: a snapshot filled without a parent and
 * committed onto one. A snapshotter that cannot rebase must refuse it and keep the active snapshot;
 * one that can must stack the snapshot exactly as if it had been prepared on the parent, with
 * deletions given in overlayfs form. Content tests need root (mounts, mknod).
 */
public interface SnapshotterRebaseTests extends ContractFixture {

    @Test
    default void aSnapshotterThatCannotRebaseRefusesAndKeepsTheActiveSnapshot() throws Exception {
        assumeTrue(!snapshotter().canRebase(), "this snapshotter rebases");
        snapshotter().prepare("p", "", null);
        snapshotter().commit("base", "p", null);
        snapshotter().prepare("layer", "", null);
        assertKind(JctrException.Kind.NOT_IMPLEMENTED, () -> snapshotter().commit("top", "layer", "base", null));
        assertEquals(SnapshotKind.ACTIVE, snapshotter().stat("layer").kind());
        assertKind(JctrException.Kind.NOT_FOUND, () -> snapshotter().stat("top"));
    }

    @Test
    default void anEmptyParentMakesRebaseAPlainCommit() throws Exception {
        snapshotter().prepare("layer", "", null);
        snapshotter().commit("top", "layer", "", Map.of("k", "v"));
        SnapshotInfo top = snapshotter().stat("top");
        assertEquals(SnapshotKind.COMMITTED, top.kind());
        assertEquals("", top.parent());
        assertEquals(Map.of("k", "v"), top.labels());
    }

    @Test
    default void rebaseRecordsTheNewParentDurably() throws Exception {
        assumeTrue(snapshotter().canRebase(), "this snapshotter does not rebase");
        snapshotter().prepare("p", "", null);
        snapshotter().commit("base", "p", null);
        snapshotter().prepare("layer", "", null);
        snapshotter().commit("top", "layer", "base", Map.of("k", "v"));
        assertKind(JctrException.Kind.NOT_FOUND, () -> snapshotter().stat("layer"));
        SnapshotInfo top = snapshotter().stat("top");
        assertEquals(SnapshotKind.COMMITTED, top.kind());
        assertEquals("base", top.parent());
        assertEquals(Map.of("k", "v"), top.labels());
        assertKind(JctrException.Kind.FAILED_PRECONDITION, () -> snapshotter().remove("base"));
        assertEquals("base", reopen().stat("top").parent());
    }

    @Test
    default void rebaseChecksKeyParentAndName() throws Exception {
        assumeTrue(snapshotter().canRebase(), "this snapshotter does not rebase");
        snapshotter().prepare("p", "", null);
        snapshotter().commit("base", "p", null);
        snapshotter().prepare("unfinished", "", null);
        snapshotter().prepare("layer", "", null);
        snapshotter().prepare("has-parent", "base", null);
        assertKind(JctrException.Kind.NOT_FOUND, () -> snapshotter().commit("top", "missing", "base", null));
        assertKind(JctrException.Kind.NOT_FOUND, () -> snapshotter().commit("top", "layer", "missing", null));
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> snapshotter().commit("top", "layer", "unfinished", null));
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> snapshotter().commit("top", "has-parent", "base", null));
        assertKind(JctrException.Kind.ALREADY_EXISTS, () -> snapshotter().commit("base", "layer", "base", null));
        assertKind(JctrException.Kind.FAILED_PRECONDITION, () -> snapshotter().commit("top", "base", "base", null));
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> snapshotter().commit("", "layer", "base", null));
        // every refusal left the active snapshot as it was
        assertEquals(SnapshotKind.ACTIVE, snapshotter().stat("layer").kind());
        assertEquals("", snapshotter().stat("layer").parent());
        snapshotter().commit("top", "layer", "base", null);
        assertEquals("base", snapshotter().stat("top").parent());
    }

    @Test
    @Tag("root")
    default void aRebasedSnapshotShowsOnItsParentWithItsWhiteouts() throws Exception {
        assumeTrue(snapshotter().canRebase(), "this snapshotter does not rebase");
        Path base = mountAt(snapshotter().prepare("p", "", null));
        writeTree(base, Map.of("kept", "1", "replaced", "2", "gone", "3", "dir/old", "4"));
        Files.setAttribute(base, "unix:mode", 0710);
        Files.setAttribute(base, "unix:gid", 42);
        unmountAt(base);
        snapshotter().commit("base", "p", null);

        Path layer = mountAt(snapshotter().prepare("layer", "", null));
        writeTree(layer, Map.of("replaced", "22", "new", "5", "dir/added", "6"));
        mknodWhiteout(layer.resolve("gone"));
        unmountAt(layer);
        snapshotter().commit("top", "layer", "base", null);

        assertEquals(Map.of("kept", "1", "replaced", "22", "new", "5", "dir", "/", "dir/old", "4", "dir/added", "6"),
                viewTree("top"));
        commitLayer("child", "top", Map.of("more", "7"), Set.of("kept"));
        assertEquals(Map.of("replaced", "22", "new", "5", "dir", "/", "dir/old", "4", "dir/added", "6", "more", "7"),
                viewTree("child"));
        Path view = mountAt(snapshotter().view("v", "top", null));
        assertEquals(0710, (Integer) Files.getAttribute(view, "unix:mode") & 07777, "root mode taken from the parent");
        assertEquals(42, Files.getAttribute(view, "unix:gid"), "root group taken from the parent");
    }

    /** An overlayfs whiteout: a character device 0:0 (mknod(1); Java has no mknod). */
    private static void mknodWhiteout(Path at) throws Exception {
        Process p = new ProcessBuilder("mknod", at.toString(), "c", "0", "0").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "mknod " + at + ": " + out);
    }
}
