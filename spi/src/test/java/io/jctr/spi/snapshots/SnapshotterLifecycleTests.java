package io.jctr.spi.snapshots;

import static io.jctr.spi.snapshots.ContractFixture.assertKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The snapshot life cycle as the API sees it: kinds, parents, errors, labels, walk, persistence,
 * key handling. Nothing here mounts, so nothing needs root.
 */
public interface SnapshotterLifecycleTests extends ContractFixture {

    @Test
    default void prepareCreatesAnActiveSnapshotWhoseMountsCanBeRecovered() throws Exception {
        Instant before = Instant.now();
        List<Mount> mounts = snapshotter().prepare("a", "", Map.of("l", "v"));
        SnapshotInfo info = snapshotter().stat("a");
        assertEquals(SnapshotKind.ACTIVE, info.kind());
        assertEquals("a", info.name());
        assertEquals("", info.parent());
        assertEquals(Map.of("l", "v"), info.labels());
        assertEquals(info.createdAt(), info.updatedAt());
        assertFalse(info.createdAt().isBefore(before.minusSeconds(1)));
        assertFalse(mounts.isEmpty());
        assertEquals(mounts, snapshotter().mounts("a"));
    }

    @Test
    default void nullParentAndLabelsMeanNone() throws Exception {
        snapshotter().prepare("a", null, null);
        SnapshotInfo info = snapshotter().stat("a");
        assertEquals("", info.parent());
        assertEquals(Map.of(), info.labels());
    }

    @Test
    default void commitReplacesTheActiveSnapshotWithACommittedOne() throws Exception {
        snapshotter().prepare("base-active", "", Map.of("active", "label"));
        snapshotter().commit("base", "base-active", Map.of("committed", "label"));
        assertKind(Kind.NOT_FOUND, () -> snapshotter().stat("base-active"));
        SnapshotInfo base = snapshotter().stat("base");
        assertEquals(SnapshotKind.COMMITTED, base.kind());
        assertEquals(Map.of("committed", "label"), base.labels());

        snapshotter().prepare("child-active", "base", null);
        snapshotter().commit("child", "child-active", null);
        assertEquals("base", snapshotter().stat("child").parent());
        assertEquals(Map.of(), snapshotter().stat("child").labels());
    }

    @Test
    default void viewIsAViewOfItsParent() throws Exception {
        snapshotter().prepare("a", "", null);
        snapshotter().commit("base", "a", null);
        assertFalse(snapshotter().view("v", "base", Map.of("x", "y")).isEmpty());
        SnapshotInfo v = snapshotter().stat("v");
        assertEquals(SnapshotKind.VIEW, v.kind());
        assertEquals("base", v.parent());
        assertEquals(Map.of("x", "y"), v.labels());
        assertFalse(snapshotter().view("empty-view", "", null).isEmpty());
    }

    @Test
    default void keysAreUniqueAcrossKinds() throws Exception {
        snapshotter().prepare("a", "", null);
        snapshotter().commit("base", "a", null);
        snapshotter().prepare("active", "base", null);
        snapshotter().view("view", "base", null);
        for (String taken : List.of("base", "active", "view")) {
            assertKind(Kind.ALREADY_EXISTS, () -> snapshotter().prepare(taken, "", null));
            assertKind(Kind.ALREADY_EXISTS, () -> snapshotter().view(taken, "base", null));
        }
    }

    @Test
    default void parentMustExistAndBeCommitted() throws Exception {
        assertKind(Kind.NOT_FOUND, () -> snapshotter().prepare("a", "missing", null));
        assertKind(Kind.NOT_FOUND, () -> snapshotter().view("v", "missing", null));
        snapshotter().prepare("active", "", null);
        snapshotter().view("view", "", null);
        assertKind(Kind.INVALID_ARGUMENT, () -> snapshotter().prepare("a", "active", null));
        assertKind(Kind.INVALID_ARGUMENT, () -> snapshotter().prepare("a", "view", null));
        assertKind(Kind.INVALID_ARGUMENT, () -> snapshotter().view("v", "active", null));
        assertKind(Kind.INVALID_ARGUMENT, () -> snapshotter().prepare("", "", null));
        assertKind(Kind.INVALID_ARGUMENT, () -> snapshotter().view("", "", null));
        assertKind(Kind.NOT_FOUND, () -> snapshotter().stat("a"));
        assertKind(Kind.NOT_FOUND, () -> snapshotter().stat("v"));
    }

    @Test
    default void commitChecksKeyKindAndName() throws Exception {
        snapshotter().prepare("a", "", null);
        snapshotter().commit("base", "a", null);
        snapshotter().view("view", "base", null);
        snapshotter().prepare("active", "base", null);
        assertKind(Kind.NOT_FOUND, () -> snapshotter().commit("x", "missing", null));
        assertKind(Kind.FAILED_PRECONDITION, () -> snapshotter().commit("x", "view", null));
        assertKind(Kind.FAILED_PRECONDITION, () -> snapshotter().commit("x", "base", null));
        assertKind(Kind.INVALID_ARGUMENT, () -> snapshotter().commit("", "active", null));
        for (String taken : List.of("base", "view", "active")) {
            assertKind(Kind.ALREADY_EXISTS, () -> snapshotter().commit(taken, "active", null));
        }
        assertEquals(SnapshotKind.ACTIVE, snapshotter().stat("active").kind());
        snapshotter().commit("done", "active", null);
        assertEquals(SnapshotKind.COMMITTED, snapshotter().stat("done").kind());
    }

    @Test
    default void committedSnapshotsHaveNoMounts() throws Exception {
        snapshotter().prepare("a", "", null);
        snapshotter().commit("base", "a", null);
        assertKind(Kind.FAILED_PRECONDITION, () -> snapshotter().mounts("base"));
        assertKind(Kind.NOT_FOUND, () -> snapshotter().mounts("a"));
        assertKind(Kind.NOT_FOUND, () -> snapshotter().mounts("missing"));
    }

    @Test
    default void removeRefusesParentsAndFreesTheKey() throws Exception {
        snapshotter().prepare("a", "", null);
        snapshotter().commit("base", "a", null);
        snapshotter().prepare("child", "base", null);
        snapshotter().view("view", "base", null);
        assertKind(Kind.FAILED_PRECONDITION, () -> snapshotter().remove("base"));
        snapshotter().remove("child");
        assertKind(Kind.FAILED_PRECONDITION, () -> snapshotter().remove("base"));
        snapshotter().remove("view");
        snapshotter().remove("base");
        assertKind(Kind.NOT_FOUND, () -> snapshotter().stat("base"));
        assertKind(Kind.NOT_FOUND, () -> snapshotter().remove("base"));
        snapshotter().prepare("base", "", null);
        assertEquals(SnapshotKind.ACTIVE, snapshotter().stat("base").kind());
    }

    @Test
    default void updateChangesLabelsByFieldPath() throws Exception {
        snapshotter().prepare("a", "", Map.of("keep", "1", "drop", "2", "change", "3"));
        SnapshotInfo created = snapshotter().stat("a");
        Map<String, String> given = Map.of("change", "33", "new", "4", "ignored", "5");
        SnapshotInfo info = new SnapshotInfo(SnapshotKind.VIEW, "a", "whatever", given, created.createdAt(), created.updatedAt());

        SnapshotInfo updated = snapshotter().update(info, Set.of("labels.change", "labels.new", "labels.drop"));
        assertEquals(Map.of("keep", "1", "change", "33", "new", "4"), updated.labels());
        assertEquals(SnapshotKind.ACTIVE, updated.kind());
        assertEquals("", updated.parent());
        assertEquals(created.createdAt(), updated.createdAt());
        assertFalse(updated.updatedAt().isBefore(created.updatedAt()));
        assertEquals(updated, snapshotter().stat("a"));

        assertEquals(given, snapshotter().update(info, Set.of("labels")).labels());
        assertEquals(Map.of("only", "this"), snapshotter().update(
                new SnapshotInfo(SnapshotKind.ACTIVE, "a", "", Map.of("only", "this"), created.createdAt(), created.updatedAt()),
                Set.of()).labels());
        assertKind(Kind.INVALID_ARGUMENT, () -> snapshotter().update(info, Set.of("parent")));
        assertEquals(Map.of("only", "this"), snapshotter().stat("a").labels());
        SnapshotInfo missing = new SnapshotInfo(SnapshotKind.ACTIVE, "missing", "", Map.of(), created.createdAt(), created.updatedAt());
        assertKind(Kind.NOT_FOUND, () -> snapshotter().update(missing, Set.of()));
    }

    @Test
    default void walkVisitsWhatTheFilterAccepts() throws Exception {
        snapshotter().prepare("a", "", null);
        snapshotter().commit("base", "a", Map.of("tier", "gold"));
        snapshotter().prepare("active", "base", Map.of("tier", "gold"));
        snapshotter().view("view", "base", null);

        Map<String, SnapshotInfo> all = new HashMap<>();
        snapshotter().walk(info -> true, info -> all.put(info.name(), info));
        assertEquals(Set.of("base", "active", "view"), all.keySet());
        assertEquals(snapshotter().stat("view"), all.get("view"));

        Set<String> gold = new HashSet<>();
        snapshotter().walk(info -> "gold".equals(info.labels().get("tier")), info -> gold.add(info.name()));
        assertEquals(Set.of("base", "active"), gold);

        List<String> committed = new ArrayList<>();
        snapshotter().walk(info -> info.kind() == SnapshotKind.COMMITTED, info -> committed.add(info.name()));
        assertEquals(List.of("base"), committed);

        // A consumer may read the snapshotter; what it throws ends the walk.
        snapshotter().walk(info -> true, this::assertStatAgrees);
        IllegalStateException stop = new IllegalStateException("stop");
        assertSame(stop, assertThrows(IllegalStateException.class, () -> snapshotter().walk(info -> true, info -> {
            throw stop;
        })));
    }

    private void assertStatAgrees(SnapshotInfo info) {
        try {
            assertEquals(info, snapshotter().stat(info.name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    default void aNewInstanceOverTheSameRootKeepsEverything() throws Exception {
        snapshotter().prepare("a", "", null);
        snapshotter().commit("base", "a", Map.of("k", "v"));
        List<Mount> active = snapshotter().prepare("active", "base", Map.of("x", "y"));
        List<Mount> view = snapshotter().view("view", "base", null);
        snapshotter().prepare("doomed", "base", null);
        snapshotter().remove("doomed");
        Map<String, SnapshotInfo> before = new HashMap<>();
        snapshotter().walk(info -> true, info -> before.put(info.name(), info));

        Snapshotter reopened = reopen();
        Map<String, SnapshotInfo> after = new HashMap<>();
        reopened.walk(info -> true, info -> after.put(info.name(), info));
        assertEquals(before, after);
        assertEquals(active, reopened.mounts("active"));
        assertEquals(view, reopened.mounts("view"));
        assertKind(Kind.NOT_FOUND, () -> reopened.stat("doomed"));
        reopened.commit("next", "active", null);
        assertEquals("base", reopened.stat("next").parent());
        reopened.prepare("more", "next", null);
        assertKind(Kind.FAILED_PRECONDITION, () -> reopened.remove("base"));
    }

    @Test
    default void keysNeverBecomePaths() throws Exception {
        String token = "escape-" + UUID.randomUUID();
        List<String> keys = List.of("../" + token, "../../" + token, "a/../../" + token, "/" + token, ".", "..", "/",
                "with\nnewline=and:colon", "ünïcödé/€", "dir/" + token + "/x");
        for (String key : keys) {
            snapshotter().prepare(key, "", Map.of("key", key));
        }
        snapshotter().commit("../../" + token + "-committed", "..", null);
        snapshotter().view("../" + token + "-view", "../../" + token + "-committed", null);
        for (String key : keys) {
            if (!key.equals("..")) {
                assertEquals(key, snapshotter().stat(key).labels().get("key"));
            }
        }
        Set<String> walked = new HashSet<>();
        reopen().walk(info -> true, info -> walked.add(info.name()));
        assertEquals(keys.size() + 1, walked.size());
        assertTrue(walked.contains("/"));
        assertTrue(walked.contains("../" + token + "-view"));
        try (Stream<Path> entries = Files.list(work())) {
            assertEquals(List.of(work().resolve("root")), entries.toList());
        }
        assertFalse(Files.exists(work().getParent().resolve(token)));
        assertFalse(Files.exists(Path.of("/" + token)));
        try (Stream<Path> all = Files.walk(work())) {
            assertTrue(all.noneMatch(p -> p.getFileName() != null && p.getFileName().toString().contains(token)));
        }
    }
}
