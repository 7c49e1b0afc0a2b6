package io.jctr.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jctr.core.filters.Filter;
import io.jctr.core.images.ImageRecord;
import io.jctr.spi.JctrException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveAndExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ArchiveFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new ArchiveFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aLegacyDockerArchiveBecomesADockerSchema2Image() throws Exception {
        byte[] layer = TestArchive.layer("etc/hostname", "docker\n");
        String diffId = MemoryContentStore.sha256(layer);
        byte[] config = TestImages.config("amd64", diffId);
        String configDigest = MemoryContentStore.sha256(config);
        TestArchive a = new TestArchive()
                .file(diffId.substring(7) + ".tar", layer)
                .symlink("abc/layer.tar", "../" + diffId.substring(7) + ".tar")
                .file("abc/json", "{}").file("abc/VERSION", "1.0")
                .file(configDigest.substring(7) + ".json", config)
                .file("manifest.json", "[{\"Config\":\"" + configDigest.substring(7) + ".json\",\"RepoTags\":[\"busybox:latest\","
                        + "\"127.0.0.1:5000/team/tool:2\"],\"Layers\":[\"abc/layer.tar\"]}]")
                .file("repositories", "{}");
        ImportResult r = f.importArchive(a.write(dir.resolve("docker.tar")));

        assertEquals("docker", r.format());
        assertEquals(List.of("127.0.0.1:5000/team/tool:2", "docker.io/library/busybox:latest"), f.imageNames());
        ImageRecord img = f.images.get(ArchiveFixture.NS, "docker.io/library/busybox:latest");
        assertEquals(MediaTypes.DOCKER_MANIFEST, img.target().mediaType());
        assertEquals("latest", img.target().annotations().get("org.opencontainers.image.ref.name"));
        JsonNode manifest = JSON.readTree(f.store.blobs.get(img.target().digest()));
        assertEquals(MediaTypes.DOCKER_CONFIG, manifest.at("/config/mediaType").asText());
        assertEquals(configDigest, manifest.at("/config/digest").asText());
        assertEquals(MediaTypes.DOCKER_LAYER, manifest.at("/layers/0/mediaType").asText());
        assertEquals(diffId, manifest.at("/layers/0/digest").asText());
        assertEquals(diffId, f.content.info(ArchiveFixture.NS, img.target().digest()).labels().get("containerd.io/gc.ref.content.l.0"));
    }

    @Test
    void aDockerLayerThatIsNotItsDiffIdIsRefused() throws Exception {
        byte[] layer = TestArchive.layer("etc/a", "a");
        byte[] config = TestImages.config("amd64", "sha256:" + "0".repeat(64));
        TestArchive a = new TestArchive().file("l.tar", layer).file("c.json", config)
                .file("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"l.tar\"]}]");
        JctrException e = assertThrows(JctrException.class, () -> f.importArchive(a.write(dir.resolve("d.tar"))));
        assertTrue(e.getMessage().contains("manifest.json[0].Layers[0]: uncompressed layer \"l.tar\" has digest"), e.getMessage());
        assertEquals(List.of(), f.contentDigests());
        TestArchive missing = new TestArchive().file("c.json", config)
                .file("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[\"nowhere.tar\"]}]");
        JctrException m = assertThrows(JctrException.class, () -> f.importArchive(missing.write(dir.resolve("m.tar"))));
        assertTrue(m.getMessage().contains("manifest.json[0].Layers[0] refers to \"nowhere.tar\", which is not a file in the archive"),
                m.getMessage());
    }

    @Test
    void exportThenImportGivesTheSameDigestsAndTheSameBytes() throws Exception {
        TestArchive a = new TestArchive();
        ArchiveFixture.Image img = ArchiveFixture.image(a, "amd64", "round trip");
        a.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        a.file("index.json", TestImages.indexJson(img.descriptor(TestImages.named("example.com/rt:1", "1"))));
        f.importArchive(a.write(dir.resolve("in.tar")));
        Path first = dir.resolve("first.tar");
        f.archives.export(ArchiveFixture.NS, new ExportOptions(first.toString(), List.of("example.com/rt:1"), List.of(), false, false));
        Map<String, byte[]> entries = entries(first);
        assertEquals(List.of("oci-layout", "index.json", "blobs/", "blobs/sha256/", "blobs/sha256/" + img.manifest().substring(7),
                "blobs/sha256/" + img.config().substring(7), "blobs/sha256/" + img.layer().substring(7)), List.copyOf(entries.keySet()));
        JsonNode index = JSON.readTree(entries.get("index.json"));
        assertEquals(img.manifest(), index.at("/manifests/0/digest").asText());
        assertEquals("example.com/rt:1", index.at("/manifests/0/annotations/io.containerd.image.name").asText());
        assertEquals("1", index.at("/manifests/0/annotations/org.opencontainers.image.ref.name").asText());

        f.images.delete(ArchiveFixture.NS, "example.com/rt:1");
        new io.jctr.core.gc.GarbageCollector(f.metadata, f.store, Map.of()).collect();
        assertTrue(f.store.blobs.isEmpty());
        f.importArchive(first);
        assertEquals(img.manifest(), f.images.get(ArchiveFixture.NS, "example.com/rt:1").target().digest());
        Path second = dir.resolve("second.tar");
        f.archives.export(ArchiveFixture.NS, new ExportOptions(second.toString(), List.of("example.com/rt:1"), List.of(), false, false));
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    @Test
    void dockerExportWritesManifestJsonRepositoriesConfigAndLayers() throws Exception {
        TestArchive a = new TestArchive();
        ArchiveFixture.Image img = ArchiveFixture.image(a, "amd64", "docker out");
        a.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        a.file("index.json", TestImages.indexJson(img.descriptor(TestImages.named("docker.io/library/tool:3", "3"))));
        f.importArchive(a.write(dir.resolve("in.tar")));
        Path out = dir.resolve("docker.tar");
        f.archives.export(ArchiveFixture.NS, new ExportOptions(out.toString(), List.of("tool:3"), List.of(), false, true));
        Map<String, byte[]> entries = entries(out);
        JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
        assertEquals(img.config().substring(7) + ".json", manifest.at("/0/Config").asText());
        assertEquals("tool:3", manifest.at("/0/RepoTags/0").asText());
        String layerFile = img.layer().substring(7) + "/layer.tar";
        assertEquals(layerFile, manifest.at("/0/Layers/0").asText());
        assertArrayEquals(f.store.blobs.get(img.layer()), entries.get(layerFile));
        assertEquals(img.layer().substring(7), JSON.readTree(entries.get("repositories")).at("/tool/3").asText());

        f.images.delete(ArchiveFixture.NS, "docker.io/library/tool:3");
        f.importArchive(out);
        assertEquals(MediaTypes.DOCKER_MANIFEST, f.images.get(ArchiveFixture.NS, "docker.io/library/tool:3").target().mediaType());
    }

    @Test
    void exportOfMissingImagesOrPlatformsFailsAndLeavesNoFile() throws Exception {
        Path out = dir.resolve("none.tar");
        JctrException e = assertThrows(JctrException.class, () -> f.archives.export(ArchiveFixture.NS,
                new ExportOptions(out.toString(), List.of("example.com/nothing:1"), List.of(), false, false)));
        assertEquals(JctrException.Kind.NOT_FOUND, e.kind());
        TestArchive a = new TestArchive();
        ArchiveFixture.Image img = ArchiveFixture.image(a, "amd64", "one platform");
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + img.descriptor(",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}") + ","
                + TestImages.descriptor(MediaTypes.OCI_MANIFEST, "sha256:" + "f".repeat(64), 5,
                ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}") + "]}").getBytes(StandardCharsets.UTF_8);
        String indexDigest = a.blob(index);
        a.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        a.file("index.json", TestImages.indexJson(TestImages.descriptor(MediaTypes.OCI_INDEX, indexDigest, index.length,
                TestImages.named("example.com/multi:1", "1"))));
        f.importArchive(a.write(dir.resolve("multi.tar")));
        f.archives.export(ArchiveFixture.NS, new ExportOptions(out.toString(), List.of("example.com/multi:1"), List.of("linux/amd64"),
                false, false));
        assertTrue(entries(out).containsKey("blobs/sha256/" + indexDigest.substring(7)));
        Files.delete(out);
        f.archives.export(ArchiveFixture.NS, new ExportOptions(out.toString(), List.of("example.com/multi:1"), List.of("linux/amd64"),
                false, true));
        assertEquals(img.config().substring(7) + ".json", JSON.readTree(entries(out).get("manifest.json")).at("/0/Config").asText());
        Files.delete(out);
        JctrException arm = assertThrows(JctrException.class, () -> f.archives.export(ArchiveFixture.NS,
                new ExportOptions(out.toString(), List.of("example.com/multi:1"), List.of("linux/arm64"), false, false)));
        assertTrue(arm.getMessage().contains("blob sha256:" + "f".repeat(64)), arm.getMessage());
        assertThrows(JctrException.class, () -> f.archives.export(ArchiveFixture.NS,
                new ExportOptions(out.toString(), List.of("example.com/multi:1"), List.of(), true, false)));
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")));
        }
    }

    @Test
    void aRootfsTarballBecomesAOneLayerImage() throws Exception {
        byte[] rootfs = new TestArchive().file("bin/sh", "#!fake shell").file("etc/passwd", "root:x:0:0::/:/bin/sh\n").bytes();
        Path file = Files.write(dir.resolve("rootfs.tar"), rootfs);
        ImportResult r = f.archives.importRootfs(ArchiveFixture.NS, "", file.toString(), "mine", "linux/arm64/v8", false, "");
        assertEquals("docker.io/library/mine:latest", r.images().get(0).name());
        ImageRecord img = f.images.get(ArchiveFixture.NS, "docker.io/library/mine:latest");
        JsonNode manifest = JSON.readTree(f.store.blobs.get(img.target().digest()));
        assertEquals(MediaTypes.OCI_LAYER_GZIP, manifest.at("/layers/0/mediaType").asText());
        byte[] layer = f.store.blobs.get(manifest.at("/layers/0/digest").asText());
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(layer))) {
            assertArrayEquals(rootfs, in.readAllBytes());
        }
        JsonNode config = JSON.readTree(f.store.blobs.get(manifest.at("/config/digest").asText()));
        assertEquals(MemoryContentStore.sha256(rootfs), config.at("/rootfs/diff_ids/0").asText());
        assertEquals("arm64", config.get("architecture").asText());
        assertTrue(config.get("config").isEmpty(), "no Cmd, as docker import");
        assertEquals(manifest.at("/config/digest").asText(),
                f.content.info(ArchiveFixture.NS, img.target().digest()).labels().get("containerd.io/gc.ref.content.config"));

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(rootfs);
        }
        Path compressed = Files.write(dir.resolve("rootfs.tar.gz"), gz.toByteArray());
        f.archives.importRootfs(ArchiveFixture.NS, "", compressed.toString(), "mine:gz", "", false, "");
        JsonNode gzManifest = JSON.readTree(f.store.blobs.get(f.images.get(ArchiveFixture.NS, "docker.io/library/mine:gz").target().digest()));
        assertEquals(config.at("/rootfs/diff_ids/0").asText(),
                JSON.readTree(f.store.blobs.get(gzManifest.at("/config/digest").asText())).at("/rootfs/diff_ids/0").asText());
    }

    @Test
    void aRootfsThatIsNotATarIsRefusedAndLeavesNothing() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage"), "definitely not a tarball\n".repeat(40).getBytes(StandardCharsets.UTF_8));
        JctrException e = assertThrows(JctrException.class, () -> f.archives.importRootfs(ArchiveFixture.NS, "", garbage.toString(),
                "x", "", false, ""));
        assertTrue(e.getMessage().startsWith(garbage + " is not a tar archive"), e.getMessage());
        JctrException name = assertThrows(JctrException.class, () -> f.archives.importRootfs(ArchiveFixture.NS, "", garbage.toString(),
                "Bad Name", "", false, ""));
        assertTrue(name.getMessage().contains("invalid image name \"Bad Name\""), name.getMessage());
        assertEquals(List.of(), f.contentDigests());
        assertEquals(List.of(), f.leases.list(ArchiveFixture.NS, Filter.ALL));
        assertTrue(f.store.blobs.isEmpty());
    }

    private static Map<String, byte[]> entries(Path tarFile) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarFile))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.put(e.getName(), tar.readAllBytes());
            }
        }
        return out;
    }
}
