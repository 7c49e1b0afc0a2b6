package io.jctr.core.archive;

import io.jctr.core.images.ImageRecord;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code images import} of an OCI image layout or docker archive: one pass stores every blob
 * under a lease (verified against its name where it has one); then the format's plan checks
 * that every blob the named images need is present, labels indexes and manifests so garbage
 * collection keeps their children, and writes the image records last. On any error no image
 * record is written and the blobs the import stored are collected.
 */
final class ArchiveImporter {

    private final ArchiveServices services;

    ArchiveImporter(ArchiveServices services) {
        this.services = services;
    }

    ImportResult importArchive(String ns, String callerLease, ImportOptions o) throws IOException {
        Path file = ArchivePaths.input(o.file(), "import");
        PlatformFilter platforms = PlatformFilter.of(o.platforms(), o.allPlatforms());
        Optional<ImportUnpacker> unpacker = unpacker(o.unpack());
        try (ImportSession s = new ImportSession(services, ns, callerLease)) {
            ScannedArchive archive = ArchiveScanner.scan(file, s.sink);
            ImportPlan plan;
            if (archive.metadata("index.json").isPresent()) {
                plan = OciLayoutImport.plan(archive, s, o);
            } else if (archive.metadata("manifest.json").isPresent()) {
                plan = DockerArchiveImport.plan(archive, s, o);
            } else {
                throw JctrException.invalidArgument("%s is neither an OCI image layout (no index.json) nor a docker archive "
                        + "(no manifest.json)", file);
            }
            if (plan.images().isEmpty()) {
                throw JctrException.invalidArgument("archive %s names no image: give --base-name, --digests or --index-name", file);
            }
            label(s, plan.roots(), platforms, "archive " + file);
            List<ImportedImage> images = s.writeImages(plan.images());
            if (unpacker.isPresent()) {
                unpack(s, unpacker.get(), images, o.snapshotter(), platforms);
            }
            s.succeeded();
            return new ImportResult(plan.format(), images);
        }
    }

    /**
     * Checks the graphs under {@code roots}, all of them first, then sets ctr's GC labels on
     * indexes and manifests.
     */
    static void label(ImportSession s, List<Descriptor> roots, PlatformFilter platforms, String what) throws IOException {
        ImageGraph graph = new ImageGraph(s.content(), s.ns);
        List<ImageGraph.Node> nodes = new ArrayList<>();
        for (Descriptor root : roots) {
            nodes.addAll(graph.walk(root, platforms, what));
        }
        for (ImageGraph.Node n : nodes) {
            Map<String, String> refs = new LinkedHashMap<>();
            n.children().forEach((k, d) -> refs.put(k, d.digest()));
            s.labelReferences(n.descriptor().digest(), refs);
        }
    }

    Optional<ImportUnpacker> unpacker(boolean wanted) {
        if (!wanted) {
            return Optional.empty();
        }
        return Optional.of(services.unpacker().get().orElseThrow(() -> JctrException.failedPrecondition(
                "unpack on import needs an image unpacker and none is registered (import without --unpack)")));
    }

    static void unpack(ImportSession s, ImportUnpacker unpacker, List<ImportedImage> images, String snapshotter,
                       PlatformFilter platforms) throws IOException {
        for (ImportedImage i : images) {
            unpacker.unpack(s.ns, s.lease, new ImageRecord(i.name(), Map.of(), i.target(), null, null), snapshotter, platforms);
        }
    }
}
