package io.jctr.plugins.snapshots.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.snapshots.Mount;
import io.jctr.spi.snapshots.SnapshotFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A 128-layer chain, containerd's test depth: its absolute lowerdir list is over a page, so the
 * mount only works through {@link Mounter}'s shortened paths, and every layer must still show in
 * the right order.
 */
@Tag("root")
class DeepChainTest {

    private static final int LAYERS = 128;

    private final Mounter mounter = new Mounter(Posix.system());
    private final List<Path> mounted = new ArrayList<>();
    private Path work;
    private OverlaySnapshotter snapshotter;

    @BeforeEach
    void open() throws Exception {
        work = Files.createTempDirectory("jctr-overlay-deep-");
        snapshotter = new OverlaySnapshotter(work.resolve("root"));
    }

    @AfterEach
    void close() throws Exception {
        try {
            for (Path p : mounted) {
                mounter.unmountAll(p);
            }
        } finally {
            SnapshotFixtures.deleteTree(work);
        }
    }

    @Test
    void aChainOf128LayersMountsWithEveryLayerInOrder() throws Exception {
        String parent = "";
        for (int i = 1; i <= LAYERS; i++) {
            String key = "active-" + i;
            Path dir = mount(snapshotter.prepare(key, parent, null));
            Files.writeString(dir.resolve("layer-" + i), Integer.toString(i));
            Files.writeString(dir.resolve("top"), Integer.toString(i));
            if (i > 1) {
                Files.delete(dir.resolve("layer-" + (i - 1)));
            }
            unmount(dir);
            parent = "layer-" + i;
            snapshotter.commit(parent, key, null);
        }

        List<Mount> mounts = snapshotter.prepare("container", parent, null);
        String data = String.join(",", mounts.get(0).options());
        assertTrue(data.length() > Posix.system().pageSize(), "the chain should be too long for one page: " + data.length());
        Path dir = mount(mounts);
        Map<String, String> tree = SnapshotFixtures.readTree(dir);
        assertEquals(Map.of("top", Integer.toString(LAYERS), "layer-" + LAYERS, Integer.toString(LAYERS)), tree);
        Files.writeString(dir.resolve("written"), "upper");
        unmount(dir);
        assertEquals("upper", Files.readString(Path.of(upperdir(mounts.get(0)), "written")));
    }

    private Path mount(List<Mount> mounts) throws Exception {
        Path target = Files.createDirectory(work.resolve("mnt-" + mounted.size()));
        mounter.mountAll(mounts, target);
        mounted.add(target);
        return target;
    }

    private void unmount(Path target) throws Exception {
        mounter.unmountAll(target);
    }

    private static String upperdir(Mount m) {
        return m.options().stream().filter(o -> o.startsWith("upperdir=")).findFirst().orElseThrow().substring("upperdir=".length());
    }
}
