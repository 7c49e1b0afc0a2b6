package io.jctr.plugins.snapshots.overlay;

import io.jctr.spi.testing.StubInitContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.Platform;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import io.jctr.spi.SkipPluginException;
import io.jctr.spi.snapshots.SnapshotFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link OverlayPlugin}: registration, discovery, and init on supported and unsupported roots. */
class OverlayPluginTest {

    private final Mounter mounter = new Mounter(Posix.system());
    private Path work;

    @BeforeEach
    void createWork() throws Exception {
        work = Files.createTempDirectory("jctr-overlay-plugin-");
    }

    @AfterEach
    void deleteWork() throws Exception {
        SnapshotFixtures.deleteTree(work);
    }

    @Test
    void registersAsTheOverlayfsSnapshotterOfThisHost() {
        Registration r = new OverlayPlugin().registration();
        assertEquals(PluginType.SNAPSHOTTER, r.type());
        assertEquals("overlayfs", r.id());
        assertEquals(List.of(Platform.host()), r.platformList());
        assertEquals(List.of(), r.requiredTypes());
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(ServiceLoader.load(PluginFactory.class).stream().anyMatch(p -> p.type() == OverlayPlugin.class));
    }

    @Test
    void skipsWhenNotRoot() {
        OverlayPlugin plugin = new OverlayPlugin(new RecordingLibC(1000).posix());
        SkipPluginException e = assertThrows(SkipPluginException.class,
                () -> plugin.init(new StubInitContext(plugin.registration(), work.resolve("root"))));
        assertEquals("overlayfs needs root", e.getMessage());
    }

    @Test
    @Tag("root")
    void initChecksWithARealMountAndExportsTheRoot() throws Exception {
        OverlayPlugin plugin = new OverlayPlugin();
        Path root = work.resolve("io.jctr.snapshotter.v1.overlayfs");
        StubInitContext context = new StubInitContext(plugin.registration(), root);
        assertInstanceOf(OverlaySnapshotter.class, plugin.init(context));
        assertEquals(root.toString(), context.exports.get("root"));
        try (Stream<Path> entries = Files.list(root)) {
            assertEquals(List.of("metadata", "snapshots"), entries.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    @Tag("root")
    void skipsWhenTheRootIsOnOverlayfs() throws Exception {
        for (String d : List.of("lower", "upper", "work", "merged")) {
            Files.createDirectory(work.resolve(d));
        }
        Path merged = work.resolve("merged");
        Posix.system().mount("overlay", merged, "overlay", 0, "lowerdir=" + work.resolve("lower")
                + ",upperdir=" + work.resolve("upper") + ",workdir=" + work.resolve("work"));
        try {
            OverlayPlugin plugin = new OverlayPlugin();
            SkipPluginException e = assertThrows(SkipPluginException.class,
                    () -> plugin.init(new StubInitContext(plugin.registration(), merged.resolve("root"))));
            assertTrue(e.getMessage().startsWith("overlayfs not supported: mount overlay on "), e.getMessage());
            assertTrue(e.getMessage().contains(" is on overlay, "), e.getMessage());
            try (Stream<Path> left = Files.list(merged.resolve("root"))) {
                assertEquals(List.of(), left.toList(), "the check must clean up after itself");
            }
        } finally {
            mounter.unmountAll(merged);
        }
    }
}
