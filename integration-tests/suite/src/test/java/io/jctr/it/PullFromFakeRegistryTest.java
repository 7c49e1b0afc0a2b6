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
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code jctr images pull} against {@link FakeRegistry}: a blob that does not match its digest,
 * a manifest over the size limit, bearer and basic auth (from --user and from docker's config),
 * blobs redirected to another host, a download cut off and resumed with a range request, and a
 * pull whose client goes away (its lease goes, its download stops).
 */
@Tag("root")
class PullFromFakeRegistryTest {

    private static JctrDaemon daemon;
    private static int images;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
    }

    /**
     * A busybox image no other test pulls (a ballast byte more each time): the daemon's content
     * store is shared by its namespaces, so a blob another test stored would not be fetched.
     */
    private static Path layout() throws java.io.IOException {
        images++;
        return BusyboxImage.layout(Files.createDirectories(daemon.dir.resolve("image-" + images)), images);
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    private static Commands.Result pull(String ns, Map<String, String> env, String... args) {
        List<String> c = jctr(daemon.address(), "-n", ns, "images", "pull");
        c.addAll(List.of(args));
        Map<String, String> withEnv = new java.util.HashMap<>(Map.of("DOCKER_CONFIG", daemon.dir.resolve("no-docker-config").toString()));
        withEnv.putAll(env);
        return run(c, withEnv);
    }

    private static String content(String ns) {
        return run(ctr(daemon.address(), "-n", ns, "content", "ls", "-q")).ok().out();
    }

    private static String images(String ns) {
        return run(ctr(daemon.address(), "-n", ns, "images", "ls", "-q")).ok().out();
    }

    @Test
    void aBlobNotMatchingItsDigestFailsNamingItAndStoresNoImage() throws Exception {
        try (FakeRegistry r = FakeRegistry.serving(layout())) {
            String layer = r.layerDigest();
            byte[] bad = r.blobs.get(layer).clone();
            bad[bad.length / 2] ^= 0x55;
            r.corrupt.put(layer, bad);
            var pull = pull("bad-digest", Map.of(), "--plain-http", r.ref());
            assertEquals(1, pull.exitCode(), pull.toString());
            assertTrue(pull.err().startsWith("jctr: blob " + layer + " (layer) of " + r.address + "/busybox: digest mismatch"), pull.err());
            assertEquals(1, pull.err().lines().count(), "one line: " + pull.err());
            assertEquals("", images("bad-digest"));
            assertFalse(content("bad-digest").contains(layer), "the bad layer is not stored");
            assertTrue(run(ctr(daemon.address(), "-n", "bad-digest", "content", "active")).ok().out().lines().count() <= 1,
                    "the bad ingest was discarded");
            // the registry is fixed: the next pull works
            r.corrupt.clear();
            pull("bad-digest", Map.of(), "--plain-http", r.ref()).ok();
            assertEquals(r.ref() + "\n", images("bad-digest"));
        }
    }

    @Test
    void aManifestOverTheLimitIsRefused() throws Exception {
        try (FakeRegistry r = FakeRegistry.serving(layout())) {
            String m = new String(r.manifest, StandardCharsets.UTF_8);
            byte[] huge = (m.substring(0, m.length() - 1) + ",\"annotations\":{\"pad\":\"" + "x".repeat(5 << 20) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            r.manifest = huge;
            r.manifestDigest = OciArchive.sha256(huge);
            var pull = pull("huge", Map.of(), "--plain-http", r.ref());
            assertEquals(1, pull.exitCode(), pull.toString());
            assertTrue(pull.err().startsWith("jctr: manifest " + r.ref() + " is " + huge.length
                    + " bytes, more than the limit of 4194304 bytes"), pull.err());
            assertEquals("", images("huge"));
        }
    }

    @Test
    void bearerTokenFlow() throws Exception {
        try (FakeRegistry r = FakeRegistry.serving(layout())) {
            r.auth = FakeRegistry.Auth.BEARER;
            var pull = pull("bearer", Map.of(), "--plain-http", r.ref());
            assertEquals(0, pull.exitCode(), pull + "\n" + daemon.log());
            var token = r.requests.stream().filter(q -> q.path().startsWith("/token")).findFirst().orElseThrow();
            assertTrue(token.path().contains("service=fake"), token.path());
            assertTrue(token.path().contains("scope=repository%3Abusybox%3Apull"), token.path());
            assertTrue(r.requests.stream().filter(q -> q.path().contains("/blobs/"))
                    .allMatch(q -> q.header("authorization").equals("Bearer tok-123")), "blobs fetched with the token");
            assertEquals(r.ref() + "\n", images("bearer"));
        }
    }

    @Test
    void bearerTokenWithCredentialsFromDockerConfig() throws Exception {
        try (FakeRegistry r = FakeRegistry.serving(layout())) {
            r.auth = FakeRegistry.Auth.BEARER;
            r.user = "alice";
            r.password = "s3cret";
            var denied = pull("token-creds", Map.of(), "--plain-http", r.ref());
            assertEquals(1, denied.exitCode());
            assertTrue(denied.err().contains("failed to fetch a token"), denied.err());

            Path config = Files.createDirectories(daemon.dir.resolve("docker-config"));
            String auth = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
            Files.writeString(config.resolve("config.json"), "{\"auths\":{\"" + r.address + "\":{\"auth\":\"" + auth + "\"}}}");
            var pull = pull("token-creds", Map.of("DOCKER_CONFIG", config.toString()), "--plain-http", r.ref());
            assertEquals(0, pull.exitCode(), pull + "\n" + daemon.log());
        }
    }

    @Test
    void basicAuthWithUser() throws Exception {
        try (FakeRegistry r = FakeRegistry.serving(layout())) {
            r.auth = FakeRegistry.Auth.BASIC;
            r.user = "bob";
            r.password = "pw:with:colons";
            var anonymous = pull("basic", Map.of(), "--plain-http", r.ref());
            assertEquals(1, anonymous.exitCode());
            assertTrue(anonymous.err().contains(": 401 unauthorized: authentication required"), anonymous.err());
            var wrong = pull("basic", Map.of(), "--plain-http", "--user", "bob:nope", r.ref());
            assertEquals(1, wrong.exitCode());
            var ok = pull("basic", Map.of(), "--plain-http", "--user", "bob:pw:with:colons", r.ref());
            assertEquals(0, ok.exitCode(), ok + "\n" + daemon.log());
            assertEquals(r.ref() + "\n", images("basic"));
        }
    }

    @Test
    void blobsRedirectedToStorageElsewhereGetNoCredentials() throws Exception {
        try (FakeRegistry r = FakeRegistry.serving(layout())) {
            r.auth = FakeRegistry.Auth.BEARER;
            r.redirectBlobs = true;
            var pull = pull("redirect", Map.of(), "--plain-http", r.ref());
            assertEquals(0, pull.exitCode(), pull + "\n" + daemon.log());
            assertEquals(2, r.storageRequests.size(), "config and layer from storage: " + r.storageRequests);
            assertTrue(r.storageRequests.stream().allMatch(q -> q.header("authorization").isEmpty()),
                    "the registry's token stays with the registry");
        }
    }

    @Test
    void anInterruptedDownloadResumesWithARangeRequest() throws Exception {
        try (FakeRegistry r = FakeRegistry.serving(layout())) {
            String layer = r.layerDigest();
            int half = r.blobs.get(layer).length / 2;
            r.cutOnce.put(layer, half);
            var first = pull("resume", Map.of(), "--plain-http", r.ref());
            assertEquals(1, first.exitCode(), first.toString());
            assertEquals("", images("resume"));
            var second = pull("resume", Map.of(), "--plain-http", r.ref());
            assertEquals(0, second.exitCode(), second + "\n" + daemon.log());
            // resumed after what had arrived (the HTTP client may drop a last piece along with the error)
            assertTrue(r.requests.stream().anyMatch(q -> q.path().endsWith(layer) && q.header("range").startsWith("bytes=")
                    && Integer.parseInt(q.header("range").substring(6, q.header("range").length() - 1)) > half / 2
                    && Integer.parseInt(q.header("range").substring(6, q.header("range").length() - 1)) <= half),
                    "resumed near " + half + ": " + r.requests);
            assertTrue(content("resume").contains(layer));
        }
    }

    @Test
    void aPullWhoseClientGoesAwayStopsAndALaterPullCompletes() throws Exception {
        FakeRegistry r = FakeRegistry.serving(layout());
        r.throttleMillis = 20; // about 0.8 MiB/s: a 1 MiB layer takes over a second
        String ref = r.ref();
        Process pull = new ProcessBuilder(jctr(daemon.address(), "-n", "cancel", "images", "pull", "--plain-http", ref))
                .redirectErrorStream(true)
                .redirectOutput(daemon.dir.resolve("cancel.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pull.isAlive() && ingestBytes() < (64 << 10) && System.nanoTime() < deadline) {
            Thread.sleep(2); // polling the store: nothing signals "download in progress"
        }
        List<ProcessHandle> all = new ArrayList<>(pull.descendants().toList());
        all.add(pull.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(h -> h.onExit().join());
        long atKill = ingestBytes();
        assertTrue(atKill > 0, "killed mid-download: " + atKill + " bytes\n"
                + Files.readString(daemon.dir.resolve("cancel.log")));

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String leases = "";
        while (System.nanoTime() < until) {
            leases = run(ctr(daemon.address(), "-n", "cancel", "leases", "ls", "-q")).ok().out();
            if (leases.isEmpty()) {
                break;
            }
            Thread.sleep(50); // the daemon notices the closed stream asynchronously
        }
        assertEquals("", leases, "the cancelled pull's lease is gone");
        long stopped = ingestBytes();
        Thread.sleep(500); // a window in which a download that did not stop would grow the ingest
        assertEquals(stopped, ingestBytes(), "the download stopped");
        assertEquals("", run(ctr(daemon.address(), "-n", "cancel", "images", "ls", "-q")).ok().out());

        r.throttleMillis = 0;
        var again = run(jctr(daemon.address(), "-n", "cancel", "images", "pull", "--plain-http", ref));
        assertEquals(0, again.exitCode(), again + "\n" + daemon.log());
        assertEquals(ref + "\n", run(ctr(daemon.address(), "-n", "cancel", "images", "ls", "-q")).ok().out());
        r.close();
    }

    /** Bytes in the content store's ingests; the daemon creates and removes them meanwhile. */
    private static long ingestBytes() {
        Path ingests = daemon.root.resolve("io.jctr.content.v1.local/ingest");
        try (java.util.stream.Stream<Path> dirs = Files.list(ingests)) {
            return dirs.mapToLong(d -> d.resolve("data").toFile().length()).sum();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0; // not there yet, or changing under us
        }
    }
}
