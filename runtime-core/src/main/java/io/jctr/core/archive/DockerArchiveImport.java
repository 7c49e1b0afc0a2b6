package io.jctr.core.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A docker archive ({@code docker save}): each manifest.json entry becomes a Docker schema 2
 * manifest over the archive's config and layer files, stored as they are (an uncompressed
 * {@code layer.tar} keeps media type {@code ...rootfs.diff.tar}, and its digest must be the
 * config's diff id). Names come from RepoTags, normalised ({@code busybox:latest} is
 * {@code docker.io/library/busybox:latest}).
 */
final class DockerArchiveImport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerArchiveImport() {
    }

    static ImportPlan plan(ScannedArchive a, ImportSession s, ImportOptions o) throws IOException {
        String where = "archive " + a.file;
        JsonNode entries = ImageGraph.parse(a.metadata("manifest.json").orElseThrow(), "manifest.json", where);
        if (!entries.isArray() || entries.isEmpty()) {
            throw JctrException.invalidArgument("%s: manifest.json is not a non-empty array", where);
        }
        ImageGraph graph = new ImageGraph(s.content(), s.ns);
        List<Descriptor> roots = new ArrayList<>();
        List<ImportedImage> images = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String at = where + ": manifest.json[" + i + "]";
            JsonNode e = entries.get(i);
            Descriptor manifest = convert(a, s, graph, e, at);
            roots.add(manifest);
            JsonNode tags = e.get("RepoTags");
            if (tags != null && tags.isArray()) {
                for (JsonNode t : tags) {
                    String name = OciLayoutImport.normalize(t.asText(), at + ".RepoTags");
                    if (o.baseName().isEmpty() || name.startsWith(o.baseName())) {
                        images.add(named(name, manifest));
                    }
                }
            }
            if (o.digests()) {
                images.add(named(OciLayoutImport.normalize(OciLayoutImport.base(o.baseName()) + "@" + manifest.digest(), at),
                        manifest));
            }
        }
        if (!o.indexName().isEmpty()) {
            ObjectNode index = JSON.createObjectNode();
            index.put("schemaVersion", 2);
            index.put("mediaType", MediaTypes.OCI_INDEX);
            ArrayNode ms = index.putArray("manifests");
            roots.forEach(m -> ms.add(m.toJson()));
            Descriptor d = store(s, JSON.writeValueAsBytes(index), MediaTypes.OCI_INDEX, Optional.empty());
            images.add(named(OciLayoutImport.normalize(o.indexName(), "--index-name"), d));
            roots.add(d);
        }
        return new ImportPlan("docker", roots, images);
    }

    private static ImportedImage named(String name, Descriptor manifest) {
        String tag = ImageNames.tag(name);
        return new ImportedImage(name, manifest.withAnnotations(Map.of(OciLayoutImport.CONTAINERD_NAME, name,
                OciLayoutImport.OCI_REF_NAME, tag.isEmpty() ? name : tag)).target());
    }

    private static Descriptor convert(ScannedArchive a, ImportSession s, ImageGraph graph, JsonNode e, String at) throws IOException {
        JsonNode configPath = e.get("Config");
        JsonNode layerPaths = e.get("Layers");
        if (configPath == null || !configPath.isTextual() || layerPaths == null || !layerPaths.isArray()) {
            throw JctrException.invalidArgument("%s: needs Config (a path) and Layers (an array of paths)", at);
        }
        StoredBlob configBlob = a.blob(configPath.asText(), at + ".Config");
        JsonNode config = ImageGraph.parse(graph.read(configBlob.digest(), at), "config " + EntryPaths.quote(configPath.asText()), at);
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        if (!diffIds.isArray() || diffIds.size() != layerPaths.size()) {
            throw JctrException.invalidArgument("%s: config has %d rootfs.diff_ids for %d layers", at, diffIds.size(), layerPaths.size());
        }
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.DOCKER_MANIFEST);
        manifest.set("config", Descriptor.of(MediaTypes.DOCKER_CONFIG, configBlob.digest(), configBlob.size()).toJson());
        ArrayNode layers = manifest.putArray("layers");
        for (int j = 0; j < layerPaths.size(); j++) {
            String ref = at + ".Layers[" + j + "]";
            StoredBlob layer = a.blob(layerPaths.get(j).asText(), ref);
            String mediaType = MediaTypes.dockerLayer(layer.head());
            if (mediaType.equals(MediaTypes.DOCKER_LAYER) && !layer.digest().equals(diffIds.get(j).asText())) {
                throw JctrException.invalidArgument("%s: uncompressed layer %s has digest %s, but the config's diff id is %s", ref,
                        EntryPaths.quote(layerPaths.get(j).asText()), layer.digest(), diffIds.get(j).asText());
            }
            layers.add(Descriptor.of(mediaType, layer.digest(), layer.size()).toJson());
        }
        Optional<Platform> platform = Optional.empty();
        if (!config.path("os").asText("").isEmpty() && !config.path("architecture").asText("").isEmpty()) {
            platform = Optional.of(new Platform(config.get("os").asText(), config.get("architecture").asText(),
                    config.path("variant").asText("")));
        }
        return store(s, JSON.writeValueAsBytes(manifest), MediaTypes.DOCKER_MANIFEST, platform);
    }

    private static Descriptor store(ImportSession s, byte[] json, String mediaType, Optional<Platform> platform) throws IOException {
        StoredBlob b = s.sink.store(mediaType, new ByteArrayInputStream(json), json.length, "");
        return new Descriptor(mediaType, b.digest(), b.size(), platform, Map.of());
    }
}
