package io.jctr.core.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.core.filters.FilterParser;
import io.jctr.core.metadata.MetadataStore;
import io.jctr.core.namespaces.NamespaceService;
import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageServiceTest {

    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);

    @TempDir
    Path dir;

    private MetadataStore store;
    private ImageService images;
    private final List<String> topics = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        store = MetadataStore.open(dir);
        images = new ImageService(store, (ns, topic, event) -> topics.add(topic));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static ImageRecord image(String name, String digest, Map<String, String> labels) {
        return new ImageRecord(name, labels, new ImageRecord.Target(MANIFEST, digest, 349, Map.of()), null, null);
    }

    private static JctrException.Kind kind(Runnable r) {
        return assertThrows(JctrException.class, r::run).kind();
    }

    @Test
    void createGetUpdateListDelete() {
        images.create("default", image("127.0.0.1:5000/busybox:latest", D1, Map.of("a", "b")));
        assertEquals(D1, images.get("default", "127.0.0.1:5000/busybox:latest").target().digest());
        assertEquals("default", new NamespaceService(store, (n, t, e) -> { }).get("default").name());

        // as ctr import does: update the target only
        images.update("default", image("127.0.0.1:5000/busybox:latest", D2, Map.of()), List.of("target"));
        ImageRecord r = images.get("default", "127.0.0.1:5000/busybox:latest");
        assertEquals(D2, r.target().digest());
        assertEquals(Map.of("a", "b"), r.labels());
        // an empty mask replaces labels and target
        images.update("default", image("127.0.0.1:5000/busybox:latest", D1, Map.of("c", "d")), List.of());
        assertEquals(Map.of("c", "d"), images.get("default", "127.0.0.1:5000/busybox:latest").labels());

        images.create("default", image("other:1", D2, Map.of()));
        assertEquals(List.of("other:1"), images.list("default", FilterParser.parse("target.digest==" + D2))
                .stream().map(ImageRecord::name).toList());
        assertEquals(2, images.list("default", FilterParser.parse("")).size());
        assertEquals(0, images.list("elsewhere", FilterParser.parse("")).size());

        images.delete("default", "other:1");
        assertEquals(List.of("/images/create", "/images/update", "/images/update", "/images/create", "/images/delete"), topics);
    }

    @Test
    void badInputIsRejectedAndNothingChanges() {
        images.create("default", image("keep:1", D1, Map.of()));
        assertEquals(JctrException.Kind.ALREADY_EXISTS, kind(() -> images.create("default", image("keep:1", D2, Map.of()))));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, kind(() -> images.create("default", image("", D1, Map.of()))));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, kind(() -> images.create("default", image("x:1", "sha256:short", Map.of()))));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, kind(() -> images.create("default",
                new ImageRecord("y:1", Map.of(), new ImageRecord.Target("", D1, 1, Map.of()), null, null))));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, kind(() -> images.create("default", image("n".repeat(401), D1, Map.of()))));
        assertEquals(JctrException.Kind.NOT_FOUND, kind(() -> images.get("default", "nosuch/image:1")));
        assertEquals(JctrException.Kind.NOT_FOUND, kind(() -> images.update("default", image("nosuch:1", D1, Map.of()), List.of("target"))));
        assertEquals(JctrException.Kind.NOT_FOUND, kind(() -> images.delete("default", "nosuch:1")));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, kind(() -> images.update("default", image("keep:1", D2, Map.of()), List.of("name"))));
        assertEquals(D1, images.get("default", "keep:1").target().digest());
        assertEquals(1, images.list("default", FilterParser.parse("")).size());
    }
}
