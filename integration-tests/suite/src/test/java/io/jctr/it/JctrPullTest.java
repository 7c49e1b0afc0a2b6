package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code jctr images pull|push|tag|inspect} against a local docker-registry: the daemon pulls
 * itself (jctr.services.pull.v1) and must leave exactly the records {@code ctr images pull}
 * leaves, so that either client can follow the other, GC keeps and collects the right things,
 * and a multi-platform index resolves to the host's platform or the one asked for.
 */
@Tag("root")
class JctrPullTest {

    private static JctrDaemon daemon;
    private static LocalRegistry registry;
    private static String ref;
    private static String bigRef;
    private static String freshRef;
    private static String refetchRef;
    private static MultiPlatformImage multi;
    private static String multiRef;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
        Path work = Files.createDirectories(daemon.dir.resolve("registry"));
        registry = LocalRegistry.start(work);
        ref = registry.push(BusyboxImage.layout(work), "latest", "busybox");
        freshRef = registry.push(BusyboxImage.layout(Files.createDirectories(work.resolve("fresh")), 1), "latest", "fresh");
        refetchRef = registry.push(BusyboxImage.layout(Files.createDirectories(work.resolve("refetch")), (8 << 20) + 3), "latest",
                "refetch");
        bigRef = registry.push(BusyboxImage.layout(Files.createDirectories(work.resolve("big")), 24 << 20), "latest", "big");
        multi = MultiPlatformImage.build(Files.createDirectories(work.resolve("multi")));
        multiRef = multi.push(registry, "multi");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        daemon.close();
    }

    private static Commands.Result jctrIn(String ns, String... args) {
        List<String> c = jctr(daemon.address(), "-n", ns);
        c.addAll(List.of(args));
        return run(c);
    }

    private static Commands.Result ctrIn(String ns, String... args) {
        List<String> c = ctr(daemon.address(), "-n", ns);
        c.addAll(List.of(args));
        return run(c);
    }

    /**
     * digest -> labels, as ctr content ls prints them (AGE varies, so it is left out), sorted by
     * key (ctr prints them in Go's random map order; no value here contains a comma).
     */
    private static TreeMap<String, String> contentLabels(String ns) {
        TreeMap<String, String> m = new TreeMap<>();
        ctrIn(ns, "content", "ls").ok().out().lines().skip(1).forEach(l -> {
            String[] f = l.trim().split("\\s+");
            m.put(f[0], String.join(",", new TreeSet<>(List.of(f[f.length - 1].split(",")))));
        });
        return m;
    }

    private static Set<String> committedSnapshots(String ns) {
        return ctrIn(ns, "snapshots", "ls").ok().out().lines().filter(l -> l.startsWith("sha256:") && l.contains("Committed"))
                .map(l -> l.split("\\s+")[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void pullLeavesExactlyWhatCtrPullLeaves() {
        String ref = freshRef; // pulled by no other test: its blobs are downloaded here
        var pull = jctrIn("by-jctr", "images", "pull", ref); // loopback: no --plain-http needed
        assertEquals(0, pull.exitCode(), pull + "\n" + daemon.log());
        ctrIn("by-ctr", "images", "pull", "--plain-http", ref).ok();

        String jctrImages = ctrIn("by-jctr", "images", "ls").ok().out();
        String ctrImages = ctrIn("by-ctr", "images", "ls").ok().out();
        assertEquals(ctrImages.lines().skip(1).map(l -> l.split("\\s+")[2]).toList(),
                jctrImages.lines().skip(1).map(l -> l.split("\\s+")[2]).toList(), "same image target:\n" + jctrImages + ctrImages);
        assertTrue(jctrImages.contains(ref), jctrImages);
        assertEquals(contentLabels("by-ctr"), contentLabels("by-jctr"), "the same blobs with the same labels");
        assertEquals(3, contentLabels("by-jctr").size(), "manifest, config, layer");
        assertEquals(committedSnapshots("by-ctr"), committedSnapshots("by-jctr"), "the same chain of snapshots");
        assertEquals(1, committedSnapshots("by-jctr").size());
        assertTrue(ctrIn("by-jctr", "leases", "ls").ok().out().lines().count() <= 1, "the pull's lease is gone");
        assertTrue(ctrIn("by-jctr", "content", "active").ok().out().lines().count() <= 1, "no ingest left");
        assertTrue(ctrIn("by-jctr", "images", "check").ok().out().contains("complete"), "ctr sees the image complete");

        // not a terminal: plain lines, one per state change, no ANSI escapes
        assertTrue(pull.out().startsWith(ref + ": resolving\n"), pull.out());
        assertTrue(pull.out().matches("(?s).*\nlayer sha256:[0-9a-f]{64}: downloading \\(.*"), pull.out());
        assertTrue(pull.out().matches("(?s).*\nlayer sha256:[0-9a-f]{64}: unpacking \\(.*"), pull.out());
        assertTrue(pull.out().matches("(?s).*\nlayer sha256:[0-9a-f]{64}: done \\(.*"), pull.out());
        assertTrue(pull.out().contains(ref + ": sha256:"), pull.out());
        assertTrue(pull.out().lines().reduce((a, b) -> b).orElse("").startsWith("done: "), pull.out());
        assertFalse(pull.out().contains("\033["), "no cursor movement when stdout is not a terminal");
    }

    @Test
    void ctrAndJctrFollowEachOther() {
        ctrIn("ctr-first", "images", "pull", "--plain-http", ref).ok();
        var again = jctrIn("ctr-first", "images", "pull", ref);
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().matches("(?s).*\nlayer sha256:[0-9a-f]{64}: exists \\(.*"), again.out());
        assertEquals(3, contentLabels("ctr-first").size());
        assertEquals(1, committedSnapshots("ctr-first").size());

        jctrIn("jctr-first", "images", "pull", ref).ok();
        var ctrAgain = ctrIn("jctr-first", "images", "pull", "--plain-http", ref);
        assertEquals(0, ctrAgain.exitCode(), ctrAgain.toString());
        assertEquals(contentLabels("ctr-first"), contentLabels("jctr-first"));
        assertEquals(committedSnapshots("ctr-first"), committedSnapshots("jctr-first"));
    }

    @Test
    void aRemovedLayerBlobIsFetchedAgainWhileItsSnapshotIsReused() {
        // pulled by no other test (so its blob really goes), 8 MiB: more than the hand-over to an
        // unpack holds, and no unpack reads it here (its snapshot exists): the download must not wait
        String ref = refetchRef;
        jctrIn("refetch", "images", "pull", ref).ok();
        String layer = contentLabels("refetch").entrySet().stream().filter(e -> e.getValue().contains("uncompressed"))
                .findFirst().orElseThrow().getKey();
        ctrIn("refetch", "content", "rm", layer).ok();
        var again = jctrIn("refetch", "images", "pull", ref);
        assertEquals(0, again.exitCode(), again + "\n" + daemon.log());
        assertTrue(contentLabels("refetch").containsKey(layer), "the layer is back");
        assertEquals(1, committedSnapshots("refetch").size());
    }

    @Test
    void quietPrintsOnlyNameAndDigest() {
        var pull = jctrIn("quiet", "images", "pull", "--quiet", ref).ok();
        assertTrue(pull.out().matches(java.util.regex.Pattern.quote(ref) + "@sha256:[0-9a-f]{64}\n"), pull.out());
    }

    @Test
    void noUnpackOnlyDownloads() {
        jctrIn("no-unpack", "images", "pull", "--no-unpack", ref).ok();
        assertEquals(3, contentLabels("no-unpack").size());
        assertTrue(committedSnapshots("no-unpack").isEmpty());
        assertFalse(contentLabels("no-unpack").values().stream().anyMatch(l -> l.contains("uncompressed")));
        // unpacking later (ctr run would) still works: a plain pull adds the snapshots
        jctrIn("no-unpack", "images", "pull", ref).ok();
        assertEquals(1, committedSnapshots("no-unpack").size());
    }

    @Test
    void nativeSnapshotter() {
        jctrIn("native", "images", "pull", "--snapshotter", "native", ref).ok();
        var snaps = ctrIn("native", "snapshots", "--snapshotter", "native", "ls").ok();
        assertTrue(snaps.out().contains("Committed"), snaps.toString());
        assertTrue(contentLabels("native").values().stream().anyMatch(l -> l.contains("containerd.io/gc.ref.snapshot.native=")));
        var bad = jctrIn("native", "images", "pull", "--snapshotter", "nosuch", ref);
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().startsWith("jctr: snapshotter \"nosuch\" is not available"), bad.err());
    }

    private static String hostArch() {
        return System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
    }

    @Test
    void multiPlatformIndexPullsTheHostsPlatformOrTheOneAskedFor() {
        String host = hostArch();
        String other = host.equals("amd64") ? "arm64" : "amd64";
        jctrIn("mp-host", "images", "pull", multiRef).ok();
        assertEquals(Set.of(multi.diffIds.get(host)), committedSnapshots("mp-host"));
        var labels = contentLabels("mp-host");
        assertEquals(4, labels.size(), "index, the host's manifest, its config and layer: " + labels);
        assertEquals("containerd.io/distribution.source.127.0.0.1=multi,containerd.io/gc.ref.content.m.0=" + multi.manifests.get(host),
                labels.get(multi.indexDigest));
        assertTrue(ctrIn("mp-host", "images", "ls").ok().out().contains(multi.indexDigest));

        jctrIn("mp-other", "images", "pull", "--platform", "linux/" + other, multiRef).ok();
        assertEquals(Set.of(multi.diffIds.get(other)), committedSnapshots("mp-other"));
        assertTrue(contentLabels("mp-other").containsKey(multi.manifests.get(other)));
        assertFalse(contentLabels("mp-other").containsKey(multi.manifests.get(host)));

        jctrIn("mp-all", "images", "pull", "--all-platforms", multiRef).ok();
        assertEquals(7, contentLabels("mp-all").size(), "index and both manifests with config and layer");
        assertEquals(Set.of(multi.diffIds.get(host)), committedSnapshots("mp-all"), "only the host's platform is unpacked");

        var none = jctrIn("mp-none", "images", "pull", "--platform", "linux/s390x", multiRef);
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("no match for platform linux/s390x in manifest " + multi.indexDigest), none.err());

        var inspect = jctrIn("mp-all", "images", "inspect", multiRef).ok();
        assertTrue(inspect.out().contains("linux/" + other), inspect.out());
        assertTrue(inspect.out().contains("Platform:  linux/" + host), inspect.out());
    }

    @Test
    void dockerSchema2ManifestsAndManifestLists() throws Exception {
        Path work = Files.createDirectories(daemon.dir.resolve("docker-format"));
        String single = registry.address + "/docker/busybox:latest";
        run(List.of("skopeo", "copy", "--quiet", "--format", "v2s2", "--dest-tls-verify=false",
                "oci:" + BusyboxImage.layout(work, 2) + ":latest", "docker://" + single)).ok();
        jctrIn("docker-jctr", "images", "pull", single).ok();
        ctrIn("docker-ctr", "images", "pull", "--plain-http", single).ok();
        assertTrue(ctrIn("docker-jctr", "images", "ls").ok().out().contains("application/vnd.docker.distribution.manifest.v2+json"));
        assertEquals(contentLabels("docker-ctr"), contentLabels("docker-jctr"));
        assertEquals(committedSnapshots("docker-ctr"), committedSnapshots("docker-jctr"));

        String list = multi.pushAsDocker(registry, "docker/multi");
        String other = hostArch().equals("amd64") ? "arm64" : "amd64";
        jctrIn("docker-list", "images", "pull", list).ok();
        jctrIn("docker-list", "images", "pull", "--platform", "linux/" + other, list).ok();
        assertEquals(new TreeSet<>(multi.diffIds.values()), committedSnapshots("docker-list"), "both platforms unpacked");
        var images = ctrIn("docker-list", "images", "ls").ok().out();
        assertTrue(images.contains("application/vnd.docker.distribution.manifest.list.v2+json"), images);
    }

    @Test
    void pushRoundTripsThroughTheRegistry() {
        jctrIn("push", "images", "pull", ref).ok();
        String pushed = registry.address + "/pushed/busybox:v1";
        jctrIn("push", "images", "tag", ref, pushed).ok();
        var tagAgain = jctrIn("push", "images", "tag", ref, pushed);
        assertEquals(1, tagAgain.exitCode());
        assertTrue(tagAgain.err().contains("already exists"), tagAgain.err());
        jctrIn("push", "images", "tag", "--force", ref, pushed).ok();
        var push = jctrIn("push", "images", "push", pushed);
        assertEquals(0, push.exitCode(), push + "\n" + daemon.log());
        // the blobs came from repository busybox of this registry (distribution.source label): mounted, not uploaded
        assertTrue(push.out().contains(": mounted ("), push.out());
        assertFalse(push.out().contains(": uploading (") && push.out().matches("(?s).*(layer|config) sha256:[0-9a-f]{64}: uploading.*"),
                push.out());
        String digest = ctrIn("push", "images", "ls").ok().out().lines().filter(l -> l.startsWith(pushed)).findFirst().orElseThrow()
                .split("\\s+")[2];
        var inspect = run(List.of("skopeo", "inspect", "--tls-verify=false", "docker://" + pushed)).ok();
        assertTrue(inspect.out().contains("\"Digest\": \"" + digest + "\""), inspect.out());
        // pushing again finds every blob there
        var again = jctrIn("push", "images", "push", pushed).ok();
        assertTrue(again.out().matches("(?s).*layer sha256:[0-9a-f]{64}: exists.*"), again.out());

        // an index of which only one platform was pulled: refused before anything is sent
        jctrIn("push", "images", "pull", multiRef).ok();
        var partial = jctrIn("push", "images", "push", registry.address + "/pushed/partial:v1", multiRef);
        assertEquals(1, partial.exitCode());
        assertTrue(partial.err().startsWith("jctr: cannot push index " + multi.indexDigest + ": its manifest sha256:"), partial.err());
        assertTrue(partial.err().contains("is not in the content store (pull the image with --all-platforms first)"), partial.err());

        // a whole index, under another name given as LOCAL
        jctrIn("push", "images", "pull", "--all-platforms", multiRef).ok();
        String multiPushed = registry.address + "/pushed/multi:v1";
        jctrIn("push", "images", "push", multiPushed, multiRef).ok();
        var raw = run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + multiPushed)).ok();
        assertEquals(multi.indexDigest, OciArchive.sha256(raw.out().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void concurrentPullsOfOneImageStoreEachBlobOnce() {
        CompletableFuture<Commands.Result> a = CompletableFuture.supplyAsync(() -> jctrIn("race", "images", "pull", bigRef));
        CompletableFuture<Commands.Result> b = CompletableFuture.supplyAsync(() -> jctrIn("race", "images", "pull", bigRef));
        var ra = a.join();
        var rb = b.join();
        assertEquals(0, ra.exitCode(), ra + "\n" + daemon.log());
        assertEquals(0, rb.exitCode(), rb + "\n" + daemon.log());
        assertEquals(3, contentLabels("race").size());
        assertEquals(1, committedSnapshots("race").size());
        assertTrue(ctrIn("race", "content", "active").ok().out().lines().count() <= 1, "no ingest left");
        assertEquals(bigRef + "\n", ctrIn("race", "images", "ls", "-q").ok().out());
    }

    @Test
    void removingThePulledImageCollectsItsContentAndSnapshots() {
        jctrIn("gc", "images", "pull", ref).ok();
        ctrIn("gc", "images", "rm", "--sync", ref).ok();
        assertEquals("", ctrIn("gc", "content", "ls", "-q").ok().out());
        assertTrue(committedSnapshots("gc").isEmpty());
    }

    @Test
    void inspectShowsRecordManifestAndConfig() {
        jctrIn("inspect", "images", "pull", ref).ok();
        var text = jctrIn("inspect", "images", "inspect", ref).ok();
        assertTrue(text.out().contains("Name:      " + ref), text.out());
        assertTrue(text.out().contains("Cmd:       /bin/sh"), text.out());
        var json = jctrIn("inspect", "images", "inspect", "--format", "json", ref).ok();
        assertTrue(json.out().contains("\"layers\""), json.out());
        assertTrue(json.out().contains("\"media_type\": \"application/vnd.oci.image.layer.v1.tar+gzip\""), json.out());
        var missing = jctrIn("inspect", "images", "inspect", "nosuch");
        assertEquals(1, missing.exitCode());
        assertEquals("jctr: image \"docker.io/library/nosuch:latest\": not found\n", missing.err());
    }

    @Test
    void malformedReferencesAreRefusedBeforeAnyNetworkCall() {
        var bad = jctrIn("bad", "images", "pull", "Busy/Box");
        assertEquals(1, bad.exitCode());
        assertEquals("jctr: invalid reference \"Busy/Box\": repository name must be lower-case: invalid argument\n", bad.err());
    }
}
