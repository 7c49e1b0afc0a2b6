package io.jctr.spi.snapshots;

import static io.jctr.spi.snapshots.SnapshotFixtures.readTree;
import static io.jctr.spi.snapshots.SnapshotFixtures.writeTree;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract of {@link Snapshotter}, after containerd's {@code snapshots/testsuite}: every
 * snapshotter, ours and third parties', gets a test class that extends this one and implements
 * the three abstract methods. The tests come from {@link SnapshotterLifecycleTests} (keys, kinds,
 * errors, labels, walk, reopen) and {@link SnapshotterConcurrencyTests}, which need no root, and
 * {@link SnapshotterContentTests} (what mounts show; tagged {@code root}),
 * {@link SnapshotterLayerTests} (containerd's file-system cases: layers against a plain directory;
 * tagged {@code root}) and
 * {@link SnapshotterRebaseTests} (committing onto a parent chosen at commit, where supported).
 *
 * <p>Each test gets a fresh directory {@code jctr-snapshotter-contract-*} in the temporary
 * directory, with the snapshotter's root at {@code root/} and mount points at {@code mnt-*}. After
 * each test whatever the test left mounted is unmounted, the test fails if any mount remains under
 * the directory, and the directory is deleted.
 */
public abstract class SnapshotterContract
        implements SnapshotterLifecycleTests, SnapshotterConcurrencyTests, SnapshotterContentTests, SnapshotterLayerTests,
        SnapshotterRebaseTests {

    private Path work;
    private Snapshotter snapshotter;
    private final Deque<Path> mounted = new ArrayDeque<>();
    private int mountPoints;

    /** A new snapshotter whose persistent state lives under {@code root} (which may not exist yet). */
    protected abstract Snapshotter newSnapshotter(Path root) throws Exception;

    /** Performs {@code mounts} in order onto the existing directory {@code target}. */
    protected abstract void mount(List<Mount> mounts, Path target) throws Exception;

    /** Undoes {@link #mount} at {@code target}: afterwards nothing is mounted there. */
    protected abstract void unmount(Path target) throws Exception;

    @BeforeEach
    final void openSnapshotter() throws Exception {
        work = Files.createTempDirectory("jctr-snapshotter-contract-");
        snapshotter = newSnapshotter(work.resolve("root"));
    }

    @AfterEach
    final void unmountAndDelete() throws Exception {
        try {
            while (!mounted.isEmpty()) {
                unmount(mounted.pop());
            }
            close(snapshotter);
        } finally {
            SnapshotFixtures.deleteTree(work);
        }
    }

    @Override
    public final Snapshotter snapshotter() {
        return snapshotter;
    }

    @Override
    public final Path work() {
        return work;
    }

    @Override
    public final Snapshotter reopen() throws Exception {
        close(snapshotter);
        snapshotter = newSnapshotter(work.resolve("root"));
        return snapshotter;
    }

    @Override
    public final Path mountAt(List<Mount> mounts) throws Exception {
        Path target = Files.createDirectory(work.resolve("mnt-" + ++mountPoints));
        mount(mounts, target);
        mounted.push(target);
        return target;
    }

    @Override
    public final void unmountAt(Path target) throws Exception {
        mounted.remove(target);
        unmount(target);
    }

    @Override
    public final void commitLayer(String name, String parent, Map<String, String> files, Set<String> deletions)
            throws Exception {
        String key = "active-" + name;
        Path dir = mountAt(snapshotter.prepare(key, parent, null));
        try {
            writeTree(dir, files);
            for (String d : deletions) {
                deleteRecursively(dir.resolve(d));
            }
        } finally {
            unmountAt(dir);
        }
        snapshotter.commit(name, key, null);
    }

    @Override
    public final Map<String, String> viewTree(String parent) throws Exception {
        String key = "view-" + ++mountPoints + "-of-" + parent;
        Path dir = mountAt(snapshotter.view(key, parent, null));
        try {
            return readTree(dir);
        } finally {
            unmountAt(dir);
            snapshotter.remove(key);
        }
    }

    private static void deleteRecursively(Path p) throws Exception {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(p)) {
                for (Path c : (Iterable<Path>) children::iterator) {
                    deleteRecursively(c);
                }
            }
        }
        Files.delete(p);
    }

    private static void close(Snapshotter s) throws Exception {
        if (s instanceof AutoCloseable c) {
            c.close();
        }
    }
}
