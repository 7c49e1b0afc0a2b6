package io.jctr.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds a small single-layer OCI image archive (oci-layout, index.json, blobs) on disk with
 * the system's tar, for tests that need an image without a registry.
 */
final class OciArchive {

    final Path tar;
    final String manifestDigest;
    final String configDigest;
    final String layerDigest;

    private OciArchive(Path tar, String manifest, String config, String layer) {
        this.tar = tar;
        this.manifestDigest = manifest;
        this.configDigest = config;
        this.layerDigest = layer;
    }

    static OciArchive build(Path work, String refName) throws IOException {
        Path rootfs = Files.createDirectories(work.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("hostname"), "jctr-test\n");
        Files.writeString(rootfs.resolve("motd"), "built by the jctr integration tests\n");
        Path layerTar = work.resolve("layer.tar");
        Commands.run(List.of("tar", "--sort=name", "--mtime=@0", "--owner=0", "--group=0", "-cf", layerTar.toString(),
                "-C", work.resolve("rootfs").toString(), ".")).ok();
        Path layout = Files.createDirectories(work.resolve("layout/blobs/sha256"));
        byte[] layer = Files.readAllBytes(layerTar);
        String layerDigest = put(layout, layer);
        String config = """
                {"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},\
                "rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created_by":"jctr test"}]}""".formatted(layerDigest);
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        String configDigest = put(layout, configBytes);
        String manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%d},\
                "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%d}]}"""
                .formatted(configDigest, configBytes.length, layerDigest, layer.length);
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        String manifestDigest = put(layout, manifestBytes);
        Files.writeString(work.resolve("layout/oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(work.resolve("layout/index.json"), """
                {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                "digest":"%s","size":%d,"annotations":{"io.containerd.image.name":"%s",\
                "org.opencontainers.image.ref.name":"latest"}}]}""".formatted(manifestDigest, manifestBytes.length, refName));
        Path tar = work.resolve("image.tar");
        Commands.run(List.of("tar", "-cf", tar.toString(), "-C", work.resolve("layout").toString(), ".")).ok();
        return new OciArchive(tar, manifestDigest, configDigest, layerDigest);
    }

    static String sha256(byte[] data) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String put(Path blobs, byte[] data) throws IOException {
        String digest = sha256(data);
        Files.write(blobs.resolve(digest.substring("sha256:".length())), data);
        return digest;
    }
}
