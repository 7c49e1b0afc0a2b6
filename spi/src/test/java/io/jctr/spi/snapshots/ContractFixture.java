package io.jctr.spi.snapshots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.function.Executable;

/**
 * What the contract's tests use of their fixture, which {@link SnapshotterContract} provides: the
 * snapshotter under test and ways to mount what it returns. The tests live in interfaces that
 * extend this one ({@link SnapshotterLifecycleTests}, {@link SnapshotterConcurrencyTests},
 * {@link SnapshotterContentTests}), JUnit's pattern for sharing tests without a tall class
 * hierarchy.
 */
public interface ContractFixture {

    /** The snapshotter under test. */
    Snapshotter snapshotter();

    /** The test's own directory; the snapshotter's root is its {@code root/}. */
    Path work();

    /** Replaces the snapshotter with a new instance over the same root and returns it. */
    Snapshotter reopen() throws Exception;

    /** Mounts {@code mounts} on a new directory and returns it; unmounted after the test at the latest. */
    Path mountAt(List<Mount> mounts) throws Exception;

    /** Unmounts a directory {@link #mountAt} returned. */
    void unmountAt(Path target) throws Exception;

    /**
     * Makes committed snapshot {@code name} on {@code parent} through the API: prepare, mount,
     * write {@code files} (relative path to content), delete {@code deletions}, unmount, commit.
     */
    void commitLayer(String name, String parent, Map<String, String> files, Set<String> deletions) throws Exception;

    /** The tree (see {@link SnapshotFixtures#readTree}) a new view of {@code parent} shows. */
    Map<String, String> viewTree(String parent) throws Exception;

    /** Asserts that {@code call} throws a {@link JctrException} of {@code kind} with a message. */
    static void assertKind(JctrException.Kind kind, Executable call) {
        JctrException e = assertThrows(JctrException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
        assertFalse(e.getMessage().isEmpty());
    }
}
