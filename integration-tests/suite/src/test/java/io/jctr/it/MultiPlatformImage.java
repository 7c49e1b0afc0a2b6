package io.jctr.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI layout (tag {@code latest}) whose index holds two single-layer manifests, linux/amd64
 * and linux/arm64, each layer a tiny rootfs with {@code /etc/marker} naming its platform. skopeo
 * pushes it with {@code --all}.
 */
final class MultiPlatformImage {

    final Path layout;
    final String indexDigest;
    /** Per architecture: the layer's diff id, which is also its one-layer chain id. */
    final Map<String, String> diffIds;
    /** Per architecture: the manifest digest. */
    final Map<String, String> manifests;

    private MultiPlatformImage(Path layout, String indexDigest, Map<String, String> diffIds, Map<String, String> manifests) {
        this.layout = layout;
        this.indexDigest = indexDigest;
        this.diffIds = diffIds;
        this.manifests = manifests;
    }

    static MultiPlatformImage build(Path work) throws IOException {
        Path layout = work.resolve("multi-oci");
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        Map<String, String> diffIds = new LinkedHashMap<>();
        Map<String, String> manifests = new LinkedHashMap<>();
        StringBuilder entries = new StringBuilder();
        for (String arch : List.of("amd64", "arm64")) {
            Path rootfs = Files.createDirectories(work.resolve("rootfs-" + arch + "/etc"));
            Files.writeString(rootfs.resolve("marker"), "linux/" + arch + "\n");
            Path tar = work.resolve("layer-" + arch + ".tar");
            Commands.run(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-cf", tar.toString(),
                    "-C", work.resolve("rootfs-" + arch).toString(), ".")).ok();
            byte[] layer = Files.readAllBytes(tar);
            String layerDigest = put(blobs, layer);
            diffIds.put(arch, layerDigest);
            byte[] config = ("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},"
                    + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
            String configDigest = put(blobs, config);
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                    + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                    + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
            String manifestDigest = put(blobs, manifest);
            manifests.put(arch, manifestDigest);
            entries.append(entries.length() == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",")
                    .append("\"digest\":\"").append(manifestDigest).append("\",\"size\":").append(manifest.length)
                    .append(",\"platform\":{\"os\":\"linux\",\"architecture\":\"").append(arch).append("\"}}");
        }
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + entries + "]}").getBytes(StandardCharsets.UTF_8);
        String indexDigest = put(blobs, index);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.index.v1+json\",\"digest\":\"" + indexDigest + "\",\"size\":" + index.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}");
        return new MultiPlatformImage(layout, indexDigest, diffIds, manifests);
    }

    /** Pushes the whole index with skopeo as {@code repo:latest}. */
    String push(LocalRegistry registry, String repo) {
        String ref = registry.address + "/" + repo + ":latest";
        Commands.run(List.of("skopeo", "copy", "--quiet", "--all", "--preserve-digests", "--dest-tls-verify=false",
                "oci:" + layout + ":latest", "docker://" + ref)).ok();
        return ref;
    }

    /** Pushes it converted to a Docker manifest list of Docker schema 2 manifests, as {@code repo:latest}. */
    String pushAsDocker(LocalRegistry registry, String repo) {
        String ref = registry.address + "/" + repo + ":latest";
        Commands.run(List.of("skopeo", "copy", "--quiet", "--all", "--format", "v2s2", "--dest-tls-verify=false",
                "oci:" + layout + ":latest", "docker://" + ref)).ok();
        return ref;
    }

    private static String put(Path blobs, byte[] data) throws IOException {
        String digest = OciArchive.sha256(data);
        Files.write(blobs.resolve(digest.substring(7)), data);
        return digest;
    }
}
