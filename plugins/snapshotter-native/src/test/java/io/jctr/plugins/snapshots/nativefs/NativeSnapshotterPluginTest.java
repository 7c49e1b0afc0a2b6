package io.jctr.plugins.snapshots.nativefs;

import io.jctr.spi.testing.StubInitContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.Platform;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import io.jctr.spi.snapshots.SnapshotFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link NativeSnapshotterPlugin}: registration, discovery, init. */
class NativeSnapshotterPluginTest {

    @Test
    void registersAsTheNativeSnapshotterOfThisHost() {
        Registration r = new NativeSnapshotterPlugin().registration();
        assertEquals(PluginType.SNAPSHOTTER, r.type());
        assertEquals("native", r.id());
        assertEquals(List.of(Platform.host()), r.platformList());
        assertEquals(List.of(), r.requiredTypes());
    }

    @Test
    void isFoundByServiceLoader() {
        assertTrue(ServiceLoader.load(PluginFactory.class).stream().anyMatch(p -> p.type() == NativeSnapshotterPlugin.class));
    }

    @Test
    void initOpensTheSnapshotterAtThePluginRootAndExportsIt() throws Exception {
        Path work = Files.createTempDirectory("jctr-native-plugin-");
        try {
            NativeSnapshotterPlugin plugin = new NativeSnapshotterPlugin();
            Path root = work.resolve("io.jctr.snapshotter.v1.native");
            StubInitContext context = new StubInitContext(plugin.registration(), root);
            assertInstanceOf(NativeSnapshotter.class, plugin.init(context));
            assertEquals(root.toString(), context.exports.get("root"));
            try (Stream<Path> entries = Files.list(root)) {
                assertEquals(List.of("metadata", "snapshots"), entries.map(p -> p.getFileName().toString()).sorted().toList());
            }
        } finally {
            SnapshotFixtures.deleteTree(work);
        }
    }
}
