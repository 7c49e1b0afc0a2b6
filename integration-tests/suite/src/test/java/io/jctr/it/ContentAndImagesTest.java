package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * containerd's content and images APIs through Debian's ctr: ingest, read back, label, remove
 * blobs; import an OCI archive without unpacking, list, export and remove the image.
 */
@Tag("root")
class ContentAndImagesTest {

    private static JctrDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    @Test
    void ingestGetLabelAndRemoveABlob() throws Exception {
        byte[] data = "hello, content store\n".getBytes(StandardCharsets.UTF_8);
        Path file = daemon.dir.resolve("blob.txt");
        Files.write(file, data);
        String digest = OciArchive.sha256(data);
        run(ctr(daemon.address(), "content", "ingest", "--expected-digest", digest, "--expected-size",
                String.valueOf(data.length), "blob-1"), Map.of(), file).ok();
        var get = run(ctr(daemon.address(), "content", "get", digest)).ok();
        assertEquals("hello, content store\n", get.out());
        run(ctr(daemon.address(), "content", "label", digest, "purpose=test")).ok();
        var ls = run(ctr(daemon.address(), "content", "ls")).ok();
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(digest) + "\\s+21B\\s+.*purpose=test").matcher(ls.out()).find(), ls.toString());
        // another namespace does not see it
        var other = run(ctr(daemon.address(), "-n", "elsewhere", "content", "get", digest));
        assertEquals(1, other.exitCode(), other.toString());
        assertTrue(other.err().contains("not found"), other.toString());
        run(ctr(daemon.address(), "content", "rm", digest)).ok();
        assertFalse(run(ctr(daemon.address(), "content", "ls")).ok().out().contains(digest));
    }

    @Test
    void aWrongDigestStoresNothing() throws Exception {
        Path file = daemon.dir.resolve("tampered.txt");
        Files.writeString(file, "not what was promised");
        String promised = OciArchive.sha256("something else".getBytes(StandardCharsets.UTF_8));
        var r = run(ctr(daemon.address(), "content", "ingest", "--expected-digest", promised, "tampered"), Map.of(), file);
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("failed precondition"), r.toString());
        var ls = run(ctr(daemon.address(), "content", "ls", "-q")).ok();
        assertFalse(ls.out().contains(promised), ls.toString());
        assertFalse(ls.out().contains(OciArchive.sha256("not what was promised".getBytes(StandardCharsets.UTF_8))), ls.toString());
    }

    @Test
    void importListExportAndRemoveAnImage() throws Exception {
        OciArchive archive = OciArchive.build(Files.createDirectories(daemon.dir.resolve("oci")), "jctr.test/tiny:latest");
        var imported = run(ctr(daemon.address(), "-n", "img", "images", "import", "--no-unpack", archive.tar.toString()));
        assertEquals(0, imported.exitCode(), imported + "\n" + daemon.log());
        var ls = run(ctr(daemon.address(), "-n", "img", "images", "ls")).ok();
        assertTrue(Pattern.compile("(?m)^jctr\\.test/tiny:latest\\s+application/vnd\\.oci\\.image\\.manifest\\.v1\\+json\\s+"
                + Pattern.quote(archive.manifestDigest)).matcher(ls.out()).find(), ls.toString());
        var content = run(ctr(daemon.address(), "-n", "img", "content", "ls", "-q")).ok();
        for (String d : new String[] {archive.manifestDigest, archive.configDigest, archive.layerDigest}) {
            assertTrue(content.out().contains(d), d + " in\n" + content);
        }
        var manifest = run(ctr(daemon.address(), "-n", "img", "content", "ls")).ok();
        assertTrue(manifest.out().contains("containerd.io/gc.ref.content.config=" + archive.configDigest), manifest.toString());

        Path out = daemon.dir.resolve("exported.tar");
        run(ctr(daemon.address(), "-n", "img", "images", "export", out.toString(), "jctr.test/tiny:latest")).ok();
        var listing = run(java.util.List.of("tar", "-tf", out.toString())).ok();
        assertTrue(listing.out().contains("blobs/sha256/" + archive.layerDigest.substring(7)), listing.toString());

        run(ctr(daemon.address(), "-n", "img", "images", "rm", "--sync", "jctr.test/tiny:latest")).ok();
        assertFalse(run(ctr(daemon.address(), "-n", "img", "images", "ls", "-q")).ok().out().contains("tiny"));
        var missing = run(ctr(daemon.address(), "-n", "img", "images", "rm", "jctr.test/tiny:latest"));
        // ctr only warns about a missing image (it got NOT_FOUND) and exits 0
        assertEquals(0, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("image not found"), missing.toString());
    }

    @Test
    void jctrListsReadsAndRemovesImagesAndContent() throws Exception {
        OciArchive archive = OciArchive.build(Files.createDirectories(daemon.dir.resolve("oci-jctr")), "jctr.test/cli:1");
        run(ctr(daemon.address(), "-n", "cli", "images", "import", "--no-unpack", archive.tar.toString())).ok();
        var images = run(jctr(daemon.address(), "-n", "cli", "images", "ls")).ok();
        assertTrue(Pattern.compile("(?m)^jctr\\.test/cli:1\\s+application/vnd\\.oci\\.image\\.manifest\\.v1\\+json\\s+"
                + Pattern.quote(archive.manifestDigest)).matcher(images.out()).find(), images.toString());
        var json = run(jctr(daemon.address(), "-n", "cli", "images", "ls", "--format", "json")).ok();
        assertTrue(json.out().contains("\"digest\": \"" + archive.manifestDigest + "\""), json.toString());
        var blobs = run(jctr(daemon.address(), "-n", "cli", "content", "ls", "-q")).ok();
        assertTrue(blobs.out().contains(archive.configDigest) && blobs.out().contains(archive.layerDigest), blobs.toString());
        var config = run(jctr(daemon.address(), "-n", "cli", "content", "get", archive.configDigest)).ok();
        assertTrue(config.out().startsWith("{\"architecture\":\"amd64\""), config.toString());
        run(jctr(daemon.address(), "-n", "cli", "images", "rm", "jctr.test/cli:1")).ok();
        assertEquals("", run(jctr(daemon.address(), "-n", "cli", "images", "ls", "-q")).ok().out());
        var missing = run(jctr(daemon.address(), "-n", "cli", "content", "get", "sha256:" + "0".repeat(64)));
        assertEquals(1, missing.exitCode(), missing.toString());
        assertEquals("jctr: content digest sha256:" + "0".repeat(64) + ": not found\n", missing.err(), missing.toString());
        var malformed = run(jctr(daemon.address(), "-n", "cli", "content", "rm", "sha256:xyz"));
        assertEquals(1, malformed.exitCode(), malformed.toString());
        assertTrue(malformed.err().startsWith("jctr: invalid digest \"sha256:xyz\""), malformed.toString());
    }
}
