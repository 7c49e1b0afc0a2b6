package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code jctr images import/export} against jctrd and real peers: archives jctr writes are read by
 * skopeo ({@code oci-archive:}, {@code docker-archive:}) and ctr; archives skopeo writes are
 * imported by jctr; export, remove and import give the same digests and bytes; a rootfs tarball
 * becomes a one-layer image; hostile archives fail with one line and change nothing.
 */
@Tag("root")
class ImageArchiveTest {

    private static final Pattern DIGEST = Pattern.compile("\"Digest\":\\s*\"(sha256:[0-9a-f]{64})\"");

    private static JctrDaemon daemon;
    private static LocalRegistry registry;
    private static String ref;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
        work = Files.createDirectories(daemon.dir.resolve("work"));
        registry = LocalRegistry.start(Files.createDirectories(daemon.dir.resolve("registry")));
        ref = registry.push(BusyboxImage.layout(work), "latest", "busybox");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        daemon.close();
    }

    @Test
    void importWithUnpackLeavesTheSnapshotsAPullWould() throws Exception {
        Path archive = work.resolve("unpack-src.tar");
        run(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref,
                "oci-archive:" + archive + ":busybox:latest")).ok();
        run(jctr(daemon.address(), "-n", "unp", "images", "import", "--unpack", archive.toString())).ok();
        String snapshots = run(ctr(daemon.address(), "-n", "unp", "snapshots", "ls")).ok().out();
        assertTrue(snapshots.lines().anyMatch(l -> l.startsWith("sha256:") && l.contains("Committed")),
                "the layer's chain is a committed snapshot:\n" + snapshots);
        run(ctr(daemon.address(), "-n", "unp", "images", "pull", "--plain-http", ref)).ok();
        assertEquals(snapshots, run(ctr(daemon.address(), "-n", "unp", "snapshots", "ls")).ok().out(),
                "a pull of the same image finds its snapshots already there");
    }

    @Test
    void exportOfAPulledImageIsReadBySkopeoAndCtr() throws Exception {
        run(ctr(daemon.address(), "-n", "exp", "images", "pull", "--plain-http", ref)).ok();
        String manifest = targetDigest("exp", ref);
        Path oci = work.resolve("exported-oci.tar");
        run(jctr(daemon.address(), "-n", "exp", "images", "export", oci.toString(), ref)).ok();

        var inspect = run(List.of("skopeo", "inspect", "oci-archive:" + oci + ":latest")).ok();
        assertEquals(manifest, digestIn(inspect.out()), inspect.toString());
        Path dir = work.resolve("copied-oci");
        run(List.of("skopeo", "copy", "--quiet", "oci-archive:" + oci + ":latest", "oci:" + dir + ":copy")).ok();
        assertTrue(Files.readString(dir.resolve("index.json")).contains(manifest));

        Path docker = work.resolve("exported-docker.tar");
        run(jctr(daemon.address(), "-n", "exp", "images", "export", "--format", "docker", docker.toString(), ref)).ok();
        var dockerInspect = run(List.of("skopeo", "inspect", "docker-archive:" + docker)).ok();
        assertTrue(dockerInspect.out().contains("\"Architecture\": \"amd64\""), dockerInspect.toString());
        run(List.of("skopeo", "copy", "--quiet", "docker-archive:" + docker, "oci:" + work.resolve("copied-docker") + ":copy")).ok();

        var imported = run(ctr(daemon.address(), "-n", "exp-ctr", "images", "import", "--no-unpack", oci.toString()));
        assertEquals(0, imported.exitCode(), imported + "\n" + daemon.log());
        assertEquals(manifest, targetDigest("exp-ctr", ref));
    }

    @Test
    void archivesWrittenBySkopeoAreImported() throws Exception {
        Path oci = work.resolve("skopeo-oci.tar");
        Path docker = work.resolve("skopeo-docker.tar");
        run(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref, "oci-archive:" + oci + ":busybox:latest")).ok();
        run(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + ref,
                "docker-archive:" + docker + ":busybox:latest")).ok();
        String manifest = digestIn(run(List.of("skopeo", "inspect", "oci-archive:" + oci + ":busybox:latest")).ok().out());

        var imported = run(jctr(daemon.address(), "-n", "imp-oci", "images", "import", oci.toString()));
        assertEquals(0, imported.exitCode(), imported + "\n" + daemon.log());
        assertTrue(imported.out().contains("docker.io/library/busybox:latest"), imported.toString());
        var ls = run(jctr(daemon.address(), "-n", "imp-oci", "images", "ls")).ok();
        assertTrue(Pattern.compile("(?m)^docker\\.io/library/busybox:latest\\s+\\S+\\s+" + manifest).matcher(ls.out()).find(), ls.toString());
        assertCtrAgrees("imp-oci");

        var fromDocker = run(jctr(daemon.address(), "-n", "imp-docker", "images", "import", docker.toString()));
        assertEquals(0, fromDocker.exitCode(), fromDocker + "\n" + daemon.log());
        var dockerLs = run(ctr(daemon.address(), "-n", "imp-docker", "images", "ls")).ok();
        assertTrue(Pattern.compile("(?m)^docker\\.io/library/busybox:latest\\s+application/vnd\\.docker\\.distribution\\.manifest\\.v2\\+json"
                + "\\s+sha256:[0-9a-f]{64}\\s+.*linux/amd64").matcher(dockerLs.out()).find(), dockerLs.toString());
        assertCtrAgrees("imp-docker");
    }

    @Test
    void exportRemoveImportGivesIdenticalDigestsAndBytes() throws Exception {
        run(ctr(daemon.address(), "-n", "rt", "images", "pull", "--plain-http", ref)).ok();
        String manifest = targetDigest("rt", ref);
        Path first = work.resolve("rt-1.tar");
        run(jctr(daemon.address(), "-n", "rt", "images", "export", first.toString(), ref)).ok();
        String content = run(jctr(daemon.address(), "-n", "rt", "content", "ls", "-q")).ok().out();
        run(ctr(daemon.address(), "-n", "rt", "images", "rm", "--sync", ref)).ok();
        assertEquals("", run(jctr(daemon.address(), "-n", "rt", "content", "ls", "-q")).ok().out());

        run(jctr(daemon.address(), "-n", "rt", "images", "import", first.toString())).ok();
        assertEquals(manifest, targetDigest("rt", ref));
        assertEquals(content, run(jctr(daemon.address(), "-n", "rt", "content", "ls", "-q")).ok().out());
        Path second = work.resolve("rt-2.tar");
        run(jctr(daemon.address(), "-n", "rt", "images", "export", second.toString(), ref)).ok();
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    }

    @Test
    void aRootfsTarballBecomesAOneLayerImage() throws Exception {
        Path rootfs = work.resolve("busybox-layer.tar");
        var imported = run(jctr(daemon.address(), "-n", "rootfs", "images", "import", "--rootfs", rootfs.toString(), "bb-rootfs:1"));
        assertEquals(0, imported.exitCode(), imported + "\n" + daemon.log());
        String manifest = targetDigest("rootfs", "docker.io/library/bb-rootfs:1");
        String manifestJson = run(ctr(daemon.address(), "-n", "rootfs", "content", "get", manifest)).ok().out();
        Matcher layers = Pattern.compile("\"layers\":\\[\\{\"mediaType\":\"application/vnd\\.oci\\.image\\.layer\\.v1\\.tar\\+gzip\","
                + "\"digest\":\"(sha256:[0-9a-f]{64})\"").matcher(manifestJson);
        assertTrue(layers.find(), manifestJson);
        String get = String.join(" ", ctr(daemon.address(), "-n", "rootfs", "content", "get", layers.group(1)));
        String listed = run(List.of("sh", "-c", get + " | gunzip | tar -t")).ok().out();
        assertEquals(run(List.of("tar", "-tf", rootfs.toString())).ok().out(), listed);
        assertTrue(listed.contains("./bin/busybox"), listed);
        String diffId = run(List.of("sh", "-c", get + " | gunzip | sha256sum")).ok().out().split(" ")[0];
        assertEquals(OciArchive.sha256(Files.readAllBytes(rootfs)), "sha256:" + diffId);
        var images = run(ctr(daemon.address(), "-n", "rootfs", "images", "ls")).ok();
        assertTrue(images.out().contains("linux/amd64"), images.toString());
    }

    @Test
    void hostileArchivesFailWithOneLineAndChangeNothing() throws Exception {
        String ns = "hostile";
        OciArchive good = OciArchive.build(Files.createDirectories(work.resolve("hostile-base")), "jctr.test/hostile:1");
        Path layout = work.resolve("hostile-base/layout");

        Path tampered = work.resolve("tampered.tar");
        Path layer = layout.resolve("blobs/sha256/" + good.layerDigest.substring(7));
        byte[] original = Files.readAllBytes(layer);
        byte[] changed = Arrays.copyOf(original, original.length);
        changed[600] ^= 1;
        Files.write(layer, changed);
        run(List.of("tar", "-cf", tampered.toString(), "-C", layout.toString(), ".")).ok();
        Files.write(layer, original);

        Path missing = work.resolve("missing.tar");
        Files.move(layer, work.resolve("layer-aside"));
        run(List.of("tar", "-cf", missing.toString(), "-C", layout.toString(), ".")).ok();
        Files.move(work.resolve("layer-aside"), layer);

        Path dotdot = work.resolve("dotdot.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(dotdot))) {
            byte[] evil = "evil".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("../evil", true);
            e.setSize(evil.length);
            tar.putArchiveEntry(e);
            tar.write(evil);
            tar.closeArchiveEntry();
        }
        Path garbage = Files.write(work.resolve("garbage.tar"), "no tar here\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        Path truncated = work.resolve("truncated.tar");
        byte[] whole = Files.readAllBytes(good.tar);
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));

        String images = run(jctr(daemon.address(), "-n", ns, "images", "ls", "-q")).ok().out();
        String content = run(jctr(daemon.address(), "-n", ns, "content", "ls", "-q")).ok().out();
        assertFails(ns, tampered, "blobs/sha256/" + good.layerDigest.substring(7) + "\": content has digest sha256:");
        assertFails(ns, missing, "blob " + good.layerDigest + " (application/vnd.oci.image.layer.v1.tar) is missing");
        assertFails(ns, dotdot, "archive entry \"../evil\": path leaves the archive");
        assertFails(ns, garbage, "is not a valid tar archive");
        assertFails(ns, truncated, "truncated tar archive");
        var rootfs = run(jctr(daemon.address(), "-n", ns, "images", "import", "--rootfs", garbage.toString(), "junk:1"));
        assertEquals(1, rootfs.exitCode(), rootfs.toString());
        assertTrue(rootfs.err().startsWith("jctr: " + garbage + " is not a tar archive"), rootfs.toString());

        assertEquals(images, run(jctr(daemon.address(), "-n", ns, "images", "ls", "-q")).ok().out());
        assertEquals(content, run(jctr(daemon.address(), "-n", ns, "content", "ls", "-q")).ok().out());
        assertEquals("", run(ctr(daemon.address(), "-n", ns, "leases", "ls", "-q")).ok().out());

        var export = run(jctr(daemon.address(), "-n", ns, "images", "export", work.resolve("none.tar").toString(), "nosuch:1"));
        assertEquals(1, export.exitCode(), export.toString());
        assertEquals("jctr: image \"nosuch:1\": not found\n", export.err());
        assertTrue(!Files.exists(work.resolve("none.tar")));
    }

    private static void assertFails(String ns, Path archive, String expected) {
        var r = run(jctr(daemon.address(), "-n", ns, "images", "import", archive.toString()));
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("jctr: ") && r.err().contains(expected), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
    }

    /** ctr sees the image jctr imported: its blobs through Content, and it can export it. */
    private static void assertCtrAgrees(String ns) throws IOException {
        String manifest = targetDigest(ns, "docker.io/library/busybox:latest");
        String blobs = run(ctr(daemon.address(), "-n", ns, "content", "ls", "-q")).ok().out();
        assertTrue(blobs.contains(manifest), blobs);
        assertEquals(3, blobs.lines().count(), blobs);
        Path out = work.resolve(ns + "-ctr-export.tar");
        run(ctr(daemon.address(), "-n", ns, "images", "export", out.toString(), "docker.io/library/busybox:latest")).ok();
        String listing = run(List.of("tar", "-tf", out.toString())).ok().out();
        for (String d : blobs.lines().toList()) {
            assertTrue(listing.contains("blobs/sha256/" + d.substring(7)), d + " in\n" + listing);
        }
    }

    private static String targetDigest(String ns, String name) {
        var ls = run(jctr(daemon.address(), "-n", ns, "images", "ls")).ok();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s+\\S+\\s+(sha256:[0-9a-f]{64})").matcher(ls.out());
        assertTrue(m.find(), name + " in\n" + ls);
        return m.group(1);
    }

    private static String digestIn(String skopeoInspect) {
        Matcher m = DIGEST.matcher(skopeoInspect);
        assertTrue(m.find(), skopeoInspect);
        return m.group(1);
    }
}
