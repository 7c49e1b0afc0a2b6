package io.jctr.core.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.core.images.ImageRecord;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code images export}: an OCI image layout archive (ctr's format: {@code oci-layout},
 * {@code index.json} whose descriptors carry {@code io.containerd.image.name} and the tag as
 * {@code org.opencontainers.image.ref.name}, {@code blobs/sha256/<hex>}), or a docker archive
 * ({@code manifest.json}, {@code repositories}, config {@code <hex>.json}, layers
 * {@code <hex>/layer.tar} as stored, compressed or not: skopeo and docker read both). Of an index
 * only the manifests of the requested platforms are written (the index itself as it is); each
 * of those must be complete.
 */
final class ArchiveExporter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArchiveServices services;

    ArchiveExporter(ArchiveServices services) {
        this.services = services;
    }

    /** One image to write: its name, target and graph. */
    private record Exported(String name, ImageRecord.Target target, List<ImageGraph.Node> nodes) {
    }

    long export(String ns, ExportOptions o) throws IOException {
        Path out = ArchivePaths.absolute(o.file(), "export");
        if (out.getParent() == null || !Files.isDirectory(out.getParent())) {
            throw JctrException.notFound("export: directory %s", out.getParent());
        }
        if (Files.isDirectory(out)) {
            throw JctrException.invalidArgument("export: %s is a directory", out);
        }
        if (o.names().isEmpty()) {
            throw JctrException.invalidArgument("export: no image given");
        }
        PlatformFilter platforms = PlatformFilter.of(o.platforms(), o.allPlatforms());
        ImageGraph graph = new ImageGraph(services.content(), ns);
        List<Exported> images = new ArrayList<>();
        for (String name : o.names()) {
            ImageRecord r = image(ns, name);
            images.add(new Exported(r.name(), r.target(), graph.walk(Descriptor.of(r.target()), platforms, "image \"" + r.name() + "\"")));
        }
        try (TarWriter tar = new TarWriter(out)) {
            if (o.docker()) {
                writeDocker(tar, ns, images);
            } else {
                writeOci(tar, ns, images);
            }
            return tar.commit();
        }
    }

    private ImageRecord image(String ns, String name) {
        try {
            return services.images().get(ns, name);
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.NOT_FOUND) {
                throw e;
            }
            String normalized;
            try {
                normalized = ImageNames.normalize(name);
            } catch (JctrException invalid) {
                throw e;
            }
            if (normalized.equals(name)) {
                throw e;
            }
            try {
                return services.images().get(ns, normalized);
            } catch (JctrException again) {
                throw e;
            }
        }
    }

    private void writeOci(TarWriter tar, String ns, List<Exported> images) throws IOException {
        tar.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (Exported i : images) {
            String tag = ImageNames.tag(i.name());
            manifests.add(Descriptor.of(i.target()).withAnnotations(Map.of(OciLayoutImport.CONTAINERD_NAME, i.name(),
                    OciLayoutImport.OCI_REF_NAME, tag.isEmpty() ? i.name() : tag)).toJson());
        }
        tar.file("index.json", JSON.writeValueAsBytes(index));
        tar.directory("blobs");
        tar.directory("blobs/sha256");
        for (Exported i : images) {
            for (ImageGraph.Node n : i.nodes()) {
                tar.blob("blobs/sha256/" + hex(n.descriptor().digest()), services.content(), ns, n.descriptor().digest());
            }
        }
    }

    private void writeDocker(TarWriter tar, String ns, List<Exported> images) throws IOException {
        Map<String, ObjectNode> entries = new LinkedHashMap<>();
        ObjectNode repositories = JSON.createObjectNode();
        for (Exported i : images) {
            ImageGraph.Node manifest = singleManifest(i);
            ObjectNode entry = entries.get(manifest.descriptor().digest());
            List<String> layerFiles = new ArrayList<>();
            Descriptor config = manifest.children().get("config");
            for (Map.Entry<String, Descriptor> c : manifest.children().entrySet()) {
                if (c.getKey().startsWith("l.")) {
                    layerFiles.add(hex(c.getValue().digest()) + "/layer.tar");
                }
            }
            if (entry == null) {
                entry = JSON.createObjectNode();
                entry.put("Config", hex(config.digest()) + ".json");
                entry.putArray("RepoTags");
                ArrayNode layers = entry.putArray("Layers");
                layerFiles.forEach(layers::add);
                entries.put(manifest.descriptor().digest(), entry);
                tar.blob(hex(config.digest()) + ".json", services.content(), ns, config.digest());
                for (Map.Entry<String, Descriptor> c : manifest.children().entrySet()) {
                    if (c.getKey().startsWith("l.")) {
                        tar.directory(hex(c.getValue().digest()));
                        tar.blob(hex(c.getValue().digest()) + "/layer.tar", services.content(), ns, c.getValue().digest());
                    }
                }
            }
            String tag = ImageNames.tag(i.name());
            if (!tag.isEmpty() && !i.name().contains("@")) {
                String familiar = ImageNames.familiar(i.name());
                ((ArrayNode) entry.get("RepoTags")).add(familiar);
                String repo = ImageNames.familiar(ImageNames.repository(i.name()));
                ObjectNode tags = repositories.has(repo) ? (ObjectNode) repositories.get(repo) : repositories.putObject(repo);
                if (!layerFiles.isEmpty()) {
                    tags.put(tag, layerFiles.get(layerFiles.size() - 1).replace("/layer.tar", ""));
                }
            }
        }
        ArrayNode manifestJson = JSON.createArrayNode();
        entries.values().forEach(manifestJson::add);
        tar.file("manifest.json", JSON.writeValueAsBytes(manifestJson));
        tar.file("repositories", JSON.writeValueAsBytes(repositories));
    }

    /** A docker archive holds one manifest per image: that of the one platform asked for. */
    private static ImageGraph.Node singleManifest(Exported i) {
        List<ImageGraph.Node> manifests = i.nodes().stream().filter(n -> MediaTypes.isManifest(n.descriptor().mediaType())).toList();
        if (manifests.size() != 1) {
            throw JctrException.invalidArgument("image \"%s\": a docker archive holds one manifest per image, %d match; choose one "
                    + "with --platform", i.name(), manifests.size());
        }
        return manifests.get(0);
    }

    private static String hex(String digest) {
        return digest.substring("sha256:".length());
    }
}
