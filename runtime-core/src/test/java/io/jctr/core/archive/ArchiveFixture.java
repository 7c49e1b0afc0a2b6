package io.jctr.core.archive;

import io.jctr.core.content.ContentRecord;
import io.jctr.core.content.ContentService;
import io.jctr.core.filters.Filter;
import io.jctr.core.gc.GarbageCollector;
import io.jctr.core.images.ImageService;
import io.jctr.core.leases.LeaseService;
import io.jctr.core.metadata.MetadataStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The services an archive test runs against: LMDB metadata, content in memory, a real collector. */
final class ArchiveFixture implements AutoCloseable {

    static final String NS = "test";

    final MetadataStore metadata;
    final MemoryContentStore store = new MemoryContentStore();
    final ContentService content;
    final ImageService images;
    final LeaseService leases;
    final List<ImportUnpacker> unpackers = new ArrayList<>();
    final ArchiveService archives;

    ArchiveFixture(Path dir) throws java.io.IOException {
        metadata = MetadataStore.open(dir.resolve("meta"));
        content = new ContentService(metadata, store);
        images = new ImageService(metadata, (ns, topic, event) -> { });
        leases = new LeaseService(metadata);
        GarbageCollector gc = new GarbageCollector(metadata, store, Map.of());
        archives = new ArchiveService(content, images, leases, gc::collect,
                () -> unpackers.isEmpty() ? Optional.empty() : Optional.of(unpackers.get(0)));
    }

    /** One OCI image: config, uncompressed layer, manifest; added to {@code a} as blobs. */
    record Image(String manifest, int manifestSize, String config, String layer, byte[] manifestBytes) {
        String descriptor(String annotations) {
            return TestImages.descriptor(MediaTypes.OCI_MANIFEST, manifest, manifestSize, annotations);
        }
    }

    static Image image(TestArchive a, String arch, String layerText) {
        byte[] layer = TestArchive.layer("etc/" + arch, layerText);
        String layerDigest = a.blob(layer);
        byte[] config = TestImages.config(arch, layerDigest);
        String configDigest = a.blob(config);
        byte[] manifest = TestImages.manifest(configDigest, config.length, layerDigest, layer.length);
        return new Image(a.blob(manifest), manifest.length, configDigest, layerDigest, manifest);
    }

    ImportResult importArchive(Path file) throws Exception {
        return importArchive(file, "", "", List.of("linux/amd64"), false);
    }

    ImportResult importArchive(Path file, String baseName, String indexName, List<String> platforms, boolean all) throws Exception {
        return archives.importArchive(NS, "", new ImportOptions(file.toString(), platforms, all, indexName, baseName, false, false, ""));
    }

    List<String> contentDigests() {
        return content.list(NS, Filter.ALL).stream().map(ContentRecord::digest).sorted().toList();
    }

    List<String> imageNames() {
        return images.list(NS, Filter.ALL).stream().map(r -> r.name()).sorted().toList();
    }

    @Override
    public void close() {
        metadata.close();
    }
}
