package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code jctr images pull} into overlayfs applies an image's layers side by side and commits them
 * in chain order. Checked against the sequential unpack of the same daemon ({@code ctr images pull},
 * which applies layer after layer through the Diff API): the same snapshots, and the same files —
 * names, types, contents, owners, modes — in the top one, for layers with whiteouts, an opaque
 * directory, a directory the layer does not name, a hard link into a lower layer and a path through
 * a lower layer's symlink (the last two need their parents and are applied on them). A layer whose
 * diff id does not match leaves no snapshot of it or above it, and no unpack snapshot at all.
 */
@Tag("root")
class SideBySideUnpackTest {

    private static JctrDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    private static List<byte[]> layers() throws IOException {
        byte[] base = new Tar()
                .dir("usr", 0755, 0).dir("usr/lib", 0755, 0).symlink("lib", "usr/lib")
                .file("keep", "keep").file("gone", "gone").file("orig", "orig")
                .dir("d", 0755, 0).file("d/a", "a")
                .dir("home", 0755, 0).dir("home/u", 0700, 1000)
                .build();
        byte[] changes = new Tar()
                .file(".wh.gone", "")
                .dir("d", 0750, 0).file("d/.wh..wh..opq", "").file("d/new", "new")
                .file("home/u/.profile", "profile")
                .file("big", "x".repeat(1 << 20))
                .build();
        byte[] linkIntoBase = new Tar().link("link-to-orig", "orig").build();
        byte[] throughSymlink = new Tar().file("lib/libx.so", "so").build();
        return List.of(base, changes, linkIntoBase, throughSymlink);
    }

    @Test
    void sideBySideGivesWhatTheSequentialUnpackGives() throws Exception {
        List<byte[]> layers = layers();
        try (FakeRegistry r = FakeRegistry.serving(layout("good", layers, -1))) {
            var pull = run(jctr(daemon.address(), "-n", "side", "images", "pull", "--plain-http", r.ref()));
            assertEquals(0, pull.exitCode(), pull + "\n" + Files.readString(daemon.log));
            run(ctr(daemon.address(), "-n", "sequential", "images", "pull", "--plain-http", r.ref())).ok();

            Set<String> side = committed("side");
            assertEquals(4, side.size(), snapshots("side"));
            assertEquals(committed("sequential"), side, "the same chain of snapshots");
            assertEquals(parents("sequential"), parents("side"), "each on the same parent");
            String top = top("side");
            Map<String, String> sequentialTree = tree("sequential", top);
            assertEquals(sequentialTree, tree("side", top));
            assertEquals("0700 1000:1000 dir", sequentialTree.get("home/u"), "the lower layer's directory");
            assertEquals("0644 0:0 so", sequentialTree.get("usr/lib/libx.so"), "written through the lower symlink");
            assertTrue(!sequentialTree.containsKey("gone") && !sequentialTree.containsKey("d/a"), sequentialTree.toString());
            assertTrue(noUnpackSnapshots("side"), snapshots("side"));
        }
    }

    @Test
    void aLayerWhoseDiffIdDoesNotMatchCommitsNothingAboveTheLayersBelowIt() throws Exception {
        List<byte[]> layers = layers();
        try (FakeRegistry r = FakeRegistry.serving(layout("bad-diff-id", layers, 1))) {
            var pull = run(jctr(daemon.address(), "-n", "bad", "images", "pull", "--plain-http", r.ref()));
            assertEquals(1, pull.exitCode(), pull.toString());
            assertTrue(pull.err().contains("does not match the config's diff id"), pull.err());
            assertEquals(1, pull.err().lines().count(), "one line: " + pull.err());
            Set<String> left = committed("bad");
            assertTrue(left.size() <= 1, "at most the first layer's snapshot: " + snapshots("bad"));
            assertTrue(noUnpackSnapshots("bad"), snapshots("bad"));
            assertEquals("", run(ctr(daemon.address(), "-n", "bad", "images", "ls", "-q")).ok().out());
        }
    }

    @Test
    void aPullWhoseClientGoesAwayMidUnpackLeavesNoUnpackSnapshot() throws Exception {
        byte[] random = new byte[1 << 20];
        new java.util.Random(7).nextBytes(random);
        String noise = java.util.Base64.getEncoder().encodeToString(random); // gzip cannot shrink it much
        List<byte[]> layers = List.of(new Tar().file("a", noise).build(), new Tar().file("b", noise + "b").build(),
                new Tar().file("c", "c").build());
        try (FakeRegistry r = FakeRegistry.serving(layout("cancel", layers, -1))) {
            r.throttleMillis = 20; // about 0.8 MiB/s: each large layer takes over a second
            Process pull = new ProcessBuilder(jctr(daemon.address(), "-n", "cancel", "images", "pull", "--plain-http", r.ref()))
                    .redirectErrorStream(true).redirectOutput(daemon.dir.resolve("cancel.log").toFile()).start();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (pull.isAlive() && snapshots("cancel").lines().filter(l -> l.startsWith("extract-")).count() < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling: nothing signals "two layers being applied"
            }
            assertTrue(pull.isAlive(), "still pulling when killed: " + Files.readString(daemon.dir.resolve("cancel.log")));
            List<ProcessHandle> all = new ArrayList<>(pull.descendants().toList());
            all.add(pull.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            all.forEach(h -> h.onExit().join());

            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < until && !(noUnpackSnapshots("cancel")
                    && run(ctr(daemon.address(), "-n", "cancel", "leases", "ls", "-q")).ok().out().isEmpty())) {
                Thread.sleep(50); // the daemon notices the closed stream asynchronously
            }
            assertTrue(noUnpackSnapshots("cancel"), snapshots("cancel"));
            assertEquals("", run(ctr(daemon.address(), "-n", "cancel", "leases", "ls", "-q")).ok().out(), "the lease is gone");
            assertEquals("", run(ctr(daemon.address(), "-n", "cancel", "images", "ls", "-q")).ok().out());

            r.throttleMillis = 0;
            var again = run(jctr(daemon.address(), "-n", "cancel", "images", "pull", "--plain-http", r.ref()));
            assertEquals(0, again.exitCode(), again + "\n" + Files.readString(daemon.log));
            assertEquals(3, committed("cancel").size(), snapshots("cancel"));
            Map<String, String> tree = tree("cancel", top("cancel"));
            assertEquals(Set.of("a", "b", "c"), tree.keySet());
            assertEquals(noise + "b", tree.get("b").substring("0644 0:0 ".length()));
        }
    }

    private static String snapshots(String ns) {
        return run(ctr(daemon.address(), "-n", ns, "snapshots", "ls")).ok().out();
    }

    private static Set<String> committed(String ns) {
        return snapshots(ns).lines().filter(l -> l.startsWith("sha256:") && l.contains("Committed"))
                .map(l -> l.split("\\s+")[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, String> parents(String ns) {
        Map<String, String> out = new TreeMap<>();
        snapshots(ns).lines().skip(1).map(l -> l.trim().split("\\s+"))
                .forEach(f -> out.put(f[0], f.length == 3 ? f[1] : ""));
        return out;
    }

    private static boolean noUnpackSnapshots(String ns) {
        return snapshots(ns).lines().noneMatch(l -> l.startsWith("extract-") || l.startsWith("view-"));
    }

    /** The committed snapshot no other one has as parent. */
    private static String top(String ns) {
        Map<String, String> parents = parents(ns);
        return parents.keySet().stream().filter(k -> !parents.containsValue(k)).findFirst().orElseThrow();
    }

    /** What a view of {@code name} shows: per path, mode, owner, and content, link target or "dir". */
    private static Map<String, String> tree(String ns, String name) throws Exception {
        String key = "check-" + System.nanoTime();
        run(ctr(daemon.address(), "-n", ns, "snapshots", "view", key, name)).ok();
        Path target = Files.createDirectories(daemon.dir.resolve("mnt-" + key));
        String mount = run(ctr(daemon.address(), "-n", ns, "snapshots", "mounts", target.toString(), key)).ok().out();
        run(List.of("sh", "-c", mount)).ok();
        try {
            Map<String, String> out = new TreeMap<>();
            try (Stream<Path> all = Files.walk(target)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    if (p.equals(target)) {
                        continue;
                    }
                    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                    String what = Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
                            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : Files.readString(p);
                    out.put(target.relativize(p).toString(), String.format("%04o %s:%s %s", mode & 07777,
                            Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS),
                            Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS), what));
                }
            }
            return out;
        } finally {
            run(List.of("umount", target.toString())).ok();
            run(ctr(daemon.address(), "-n", ns, "snapshots", "rm", key)).ok();
        }
    }

    /** An OCI layout of gzip {@code layers}; the config's diff id of layer {@code wrongDiffId} (if any) is wrong. */
    private static Path layout(String name, List<byte[]> layers, int wrongDiffId) throws IOException {
        Path layout = daemon.dir.resolve("layout-" + name);
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        List<String> diffIds = new ArrayList<>();
        StringBuilder descriptors = new StringBuilder();
        for (int i = 0; i < layers.size(); i++) {
            byte[] tar = layers.get(i);
            diffIds.add(i == wrongDiffId ? OciArchive.sha256("not this layer".getBytes()) : OciArchive.sha256(tar));
            byte[] gz = gzip(tar);
            String digest = put(blobs, gz);
            descriptors.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
                    .append(digest).append("\",\"size\":").append(gz.length).append('}');
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + diffIds.stream().map(d -> "\"" + d + "\"").collect(Collectors.joining(",")) + "]}}").getBytes(StandardCharsets.UTF_8);
        String configDigest = put(blobs, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[" + descriptors + "]}").getBytes(StandardCharsets.UTF_8);
        String manifestDigest = put(blobs, manifest);
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest + "\",\"size\":" + manifest.length + "}]}");
        return layout;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static String put(Path blobs, byte[] data) throws IOException {
        String digest = OciArchive.sha256(data);
        Files.write(blobs.resolve(digest.substring(7)), data);
        return digest;
    }

    /** A tar built entry by entry (root-owned unless said otherwise, fixed mtime). */
    private static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, StandardCharsets.UTF_8.name());

        Tar dir(String name, int mode, int uid) throws IOException {
            TarArchiveEntry e = entry(name + "/", TarConstants.LF_DIR, mode);
            e.setUserId(uid);
            e.setGroupId(uid);
            return add(e, new byte[0]);
        }

        Tar file(String name, String content) throws IOException {
            return add(entry(name, TarConstants.LF_NORMAL, 0644), content.getBytes(StandardCharsets.UTF_8));
        }

        Tar symlink(String name, String target) throws IOException {
            TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
            e.setLinkName(target);
            return add(e, new byte[0]);
        }

        Tar link(String name, String target) throws IOException {
            TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
            e.setLinkName(target);
            return add(e, new byte[0]);
        }

        private static TarArchiveEntry entry(String name, byte type, int mode) {
            TarArchiveEntry e = new TarArchiveEntry(name, type, true);
            e.setMode(mode);
            e.setLastModifiedTime(FileTime.fromMillis(1_600_000_000_000L));
            return e;
        }

        private Tar add(TarArchiveEntry e, byte[] content) throws IOException {
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        }

        byte[] build() throws IOException {
            tar.close();
            return bytes.toByteArray();
        }
    }
}
