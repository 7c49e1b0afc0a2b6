package io.jctr.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.core.filters.Filter;
import io.jctr.core.images.ImageRecord;
import io.jctr.spi.JctrException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveImportTest {

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
    void ociLayoutIsImportedWithNamesAndGcLabelsWhateverTheEntryOrder() throws Exception {
        TestArchive ordered = new TestArchive();
        ArchiveFixture.Image img = ArchiveFixture.image(ordered, "amd64", "one");
        ordered.file("index.json", TestImages.indexJson(img.descriptor(TestImages.named("example.com/app:1", "1")),
                img.descriptor(TestImages.named(null, "2.0"))));
        ordered.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        ImportResult r = f.importArchive(ordered.write(dir.resolve("a.tar")), "example.com/base", "", List.of("linux/amd64"), false);

        assertEquals("oci", r.format());
        assertEquals(List.of("example.com/app:1", "example.com/base:2.0"), f.imageNames());
        ImageRecord app = f.images.get(ArchiveFixture.NS, "example.com/app:1");
        assertEquals(img.manifest(), app.target().digest());
        assertEquals(MediaTypes.OCI_MANIFEST, app.target().mediaType());
        Map<String, String> labels = f.content.info(ArchiveFixture.NS, img.manifest()).labels();
        assertEquals(img.config(), labels.get("containerd.io/gc.ref.content.config"));
        assertEquals(img.layer(), labels.get("containerd.io/gc.ref.content.l.0"));
        assertEquals(List.of(), f.leases.list(ArchiveFixture.NS, Filter.ALL), "the import's lease is gone");
        assertTrue(f.store.ingests.isEmpty());
    }

    @Test
    void aGzipArchiveIsReadAndIndexNameAndDigestsAddNames() throws Exception {
        TestArchive a = new TestArchive();
        ArchiveFixture.Image img = ArchiveFixture.image(a, "amd64", "gz");
        a.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        String indexJson = TestImages.indexJson(img.descriptor(TestImages.named(null, "7")));
        a.file("index.json", indexJson);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(a.bytes());
        }
        Path file = Files.write(dir.resolve("a.tar.gz"), gz.toByteArray());
        f.archives.importArchive(ArchiveFixture.NS, "", new ImportOptions(file.toString(), List.of(), false, "example.com/all:idx",
                "example.com/repo", true, false, ""));
        assertEquals(List.of("example.com/all:idx", "example.com/repo:7", "example.com/repo@" + img.manifest()), f.imageNames());
        ImageRecord index = f.images.get(ArchiveFixture.NS, "example.com/all:idx");
        assertEquals(MediaTypes.OCI_INDEX, index.target().mediaType());
        assertEquals(MemoryContentStore.sha256(indexJson.getBytes(StandardCharsets.UTF_8)), index.target().digest());
        assertEquals(img.manifest(), f.content.info(ArchiveFixture.NS, index.target().digest()).labels()
                .get("containerd.io/gc.ref.content.m.0"));
    }

    @Test
    void aTamperedBlobFailsNamingItAndLeavesNothing() throws Exception {
        TestArchive a = new TestArchive();
        byte[] layer = TestArchive.layer("etc/x", "tampered");
        String digest = MemoryContentStore.sha256(layer);
        layer[layer.length - 1] = 1;
        a.file("blobs/sha256/" + digest.substring(7), layer);
        JctrException e = importFails(a);
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().startsWith("archive entry \"blobs/sha256/" + digest.substring(7) + "\": content has digest sha256:"),
                e.getMessage());
        assertNothingLeft();
    }

    @Test
    void aTamperedCopyOfABlobAlreadyStoredIsStillRefused() throws Exception {
        TestArchive good = new TestArchive();
        ArchiveFixture.Image img = ArchiveFixture.image(good, "amd64", "shared");
        good.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        good.file("index.json", TestImages.indexJson(img.descriptor(TestImages.named("example.com/a:1", "1"))));
        f.importArchive(good.write(dir.resolve("good.tar")));
        TestArchive bad = new TestArchive();
        byte[] manifest = img.manifestBytes().clone();
        manifest[manifest.length - 1] = ' ';
        bad.file("blobs/sha256/" + img.manifest().substring(7), manifest);
        JctrException e = assertThrows(JctrException.class, () -> f.importArchive(bad.write(dir.resolve("bad.tar"))));
        assertTrue(e.getMessage().contains("content has digest"), e.getMessage());
    }

    @Test
    void aBlobMissingFromTheArchiveFailsAndLeavesNothing() throws Exception {
        TestArchive a = new TestArchive();
        byte[] layer = TestArchive.layer("etc/x", "never shipped");
        String layerDigest = MemoryContentStore.sha256(layer);
        byte[] config = TestImages.config("amd64", layerDigest);
        String configDigest = a.blob(config);
        byte[] manifest = TestImages.manifest(configDigest, config.length, layerDigest, layer.length);
        String m = a.blob(manifest);
        a.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        a.file("index.json", TestImages.indexJson(TestImages.descriptor(MediaTypes.OCI_MANIFEST, m, manifest.length,
                TestImages.named("example.com/a:1", "1"))));
        JctrException e = importFails(a);
        assertEquals(JctrException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("blob " + layerDigest + " (application/vnd.oci.image.layer.v1.tar) is missing"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void hostileEntriesAreRefusedByName() throws Exception {
        assertRefused(new TestArchive().file("../evil", "x"), "archive entry \"../evil\": path leaves the archive");
        assertRefused(new TestArchive().file("/etc/evil", "x"), "archive entry \"/etc/evil\": absolute path");
        assertRefused(new TestArchive().symlink("x/layer.tar", "../../etc/passwd"),
                "archive entry \"x/layer.tar\": link to \"../../etc/passwd\" leaves the archive");
        assertRefused(new TestArchive().symlink("index.json", "elsewhere"), "archive entry \"index.json\": a link where a file must be");
        assertRefused(new TestArchive().file("blobs/md5/abc", "x"), "archive entry \"blobs/md5/abc\": not a sha256 blob name");
        assertRefused(new TestArchive().file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}").file("index.json", "{\"manifests\":[{"),
                "index.json is not valid JSON");
        assertRefused(new TestArchive().file("index.json", new byte[ArchiveScanner.MAX_METADATA + 1]),
                "archive entry \"index.json\": 8388609 bytes, more than the 8388608 allowed");
        assertRefused(new TestArchive().file("readme", "hello"), "is neither an OCI image layout (no index.json) nor a docker archive");
    }

    @Test
    void garbageEmptyAndTruncatedFilesAreRefused() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage"), "this is not a tar archive at all, just some text".repeat(20)
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(assertThrows(JctrException.class, () -> f.importArchive(garbage)).getMessage().contains("is not a valid tar archive"));
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertTrue(assertThrows(JctrException.class, () -> f.importArchive(empty)).getMessage().contains("the file is empty"));
        TestArchive a = new TestArchive();
        ArchiveFixture.image(a, "amd64", "x".repeat(5000));
        byte[] whole = a.bytes();
        Path truncated = Files.write(dir.resolve("truncated"), java.util.Arrays.copyOf(whole, 3000));
        JctrException e = assertThrows(JctrException.class, () -> f.importArchive(truncated));
        assertTrue(e.getMessage().endsWith("truncated tar archive: invalid argument"), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void onlyTheRequestedPlatformOfAnIndexMustBePresent() throws Exception {
        TestArchive a = new TestArchive();
        ArchiveFixture.Image amd = ArchiveFixture.image(a, "amd64", "amd");
        String absent = "sha256:" + "e".repeat(64);
        byte[] index = TestImages.indexJson(
                amd.descriptor(",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}"),
                TestImages.descriptor(MediaTypes.OCI_MANIFEST, absent, 10, ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}"))
                .replace("{\"schemaVersion\":2,", "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",")
                .getBytes(StandardCharsets.UTF_8);
        String indexDigest = a.blob(index);
        a.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        a.file("index.json", TestImages.indexJson(TestImages.descriptor(MediaTypes.OCI_INDEX, indexDigest, index.length,
                TestImages.named("example.com/multi:1", "1"))));
        Path file = a.write(dir.resolve("multi.tar"));

        JctrException all = assertThrows(JctrException.class, () -> f.importArchive(file, "", "", List.of(), true));
        assertTrue(all.getMessage().contains("blob " + absent), all.getMessage());
        assertEquals(List.of(), f.imageNames());
        JctrException arm = assertThrows(JctrException.class, () -> f.importArchive(file, "", "", List.of("linux/arm64"), false));
        assertTrue(arm.getMessage().contains("blob " + absent), arm.getMessage());

        f.importArchive(file, "", "", List.of("linux/amd64"), false);
        assertEquals(List.of("example.com/multi:1"), f.imageNames());
        assertEquals(amd.manifest(), f.content.info(ArchiveFixture.NS, indexDigest).labels().get("containerd.io/gc.ref.content.m.0"));
    }

    @Test
    void unpackWithoutAnUnpackerIsRefusedBeforeAnythingIsRead() throws Exception {
        Path file = Files.write(dir.resolve("never-read.tar"), new byte[] {1});
        JctrException e = assertThrows(JctrException.class, () -> f.archives.importArchive(ArchiveFixture.NS, "",
                new ImportOptions(file.toString(), List.of(), false, "", "", false, true, "")));
        assertEquals(JctrException.Kind.FAILED_PRECONDITION, e.kind());
        assertTrue(e.getMessage().contains("needs an image unpacker and none is registered"), e.getMessage());
    }

    @Test
    void aRegisteredUnpackerGetsEveryImportedImageUnderTheLease() throws Exception {
        List<String> unpacked = new java.util.ArrayList<>();
        f.unpackers.add((ns, lease, image, snapshotter, platforms) -> {
            assertTrue(f.leases.list(ns, Filter.ALL).stream().anyMatch(l -> l.id().equals(lease)));
            unpacked.add(image.name() + " " + snapshotter);
        });
        TestArchive a = new TestArchive();
        ArchiveFixture.Image img = ArchiveFixture.image(a, "amd64", "u");
        a.file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        a.file("index.json", TestImages.indexJson(img.descriptor(TestImages.named("example.com/u:1", "1"))));
        f.archives.importArchive(ArchiveFixture.NS, "", new ImportOptions(a.write(dir.resolve("u.tar")).toString(), List.of(), false,
                "", "", false, true, "native"));
        assertEquals(List.of("example.com/u:1 native"), unpacked);
    }

    @Test
    void relativePathsAreRefused() {
        JctrException e = assertThrows(JctrException.class, () -> f.archives.importArchive(ArchiveFixture.NS, "",
                new ImportOptions("image.tar", List.of(), false, "", "", false, false, "")));
        assertEquals("import: path \"image.tar\" is relative; the daemon needs an absolute path: invalid argument", e.getMessage());
    }

    private JctrException importFails(TestArchive a) throws Exception {
        Path file = a.write(dir.resolve("hostile-" + System.nanoTime() + ".tar"));
        return assertThrows(JctrException.class, () -> f.importArchive(file));
    }

    private void assertRefused(TestArchive a, String message) throws Exception {
        JctrException e = importFails(a);
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertNothingLeft();
    }

    private void assertNothingLeft() {
        assertEquals(List.of(), f.imageNames());
        assertEquals(List.of(), f.contentDigests());
        assertEquals(List.of(), f.leases.list(ArchiveFixture.NS, Filter.ALL));
        assertTrue(f.store.ingests.isEmpty(), f.store.ingests.keySet().toString());
        assertTrue(f.store.blobs.isEmpty(), f.store.blobs.keySet().toString());
    }
}
