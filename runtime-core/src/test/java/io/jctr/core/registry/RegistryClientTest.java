package io.jctr.core.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against an in-process HTTP server: scheme fallback on loopback, tokens, caps, digests, ranges. */
class RegistryClientTest {

    private HttpServer server;
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private volatile boolean bearer;
    private String host;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", this::handle);
        server.start();
        host = "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().toString();
            String auth = x.getRequestHeaders().getFirst("Authorization");
            String range = x.getRequestHeaders().getFirst("Range");
            log.add(x.getRequestMethod() + " " + path + " auth=" + auth + " range=" + range + " accept=" + x.getRequestHeaders().getFirst("Accept"));
            if (path.startsWith("/token")) {
                reply(x, 200, "{\"access_token\":\"T\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (bearer && !"Bearer T".equals(auth)) {
                x.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host + "/token\",service=\"s\"");
                reply(x, 401, new byte[0]);
                return;
            }
            byte[] body = bodies.get(x.getRequestURI().getPath());
            if (body == null) {
                reply(x, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (range != null) {
                int from = Integer.parseInt(range.substring(6, range.length() - 1));
                x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                x.sendResponseHeaders(206, body.length - from);
                x.getResponseBody().write(body, from, body.length - from);
                return;
            }
            x.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
            reply(x, 200, body);
        }
    }

    private static void reply(HttpExchange x, int code, byte[] body) throws IOException {
        x.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            x.getResponseBody().write(body);
        }
    }

    private RegistryClient client(long cap) throws Exception {
        return client(cap, true);
    }

    private RegistryClient client(long cap, boolean plainHttp) throws Exception {
        RegistryConfig config = new RegistryConfig(List.of(), SSLContext.getDefault(), cap);
        return RegistryClient.open(RegistryClient.httpClient(config), config, Reference.parse(host + "/repo:t"), Credentials.NONE,
                plainHttp, false);
    }

    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"digest\":\"sha256:" + "1".repeat(64) + "\",\"size\":1},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);

    @Test
    void loopbackFallsBackToHttpAndBearerTokensAreFetched() throws Exception {
        bearer = true;
        bodies.put("/v2/repo/manifests/t", MANIFEST);
        // https first (this server never answers a TLS hello: the probe times out), then http
        RegistryClient.FetchedManifest m = client(4 << 20, false).manifest("t");
        assertEquals(RegistryClient.sha256(MANIFEST), m.descriptor().digest());
        assertEquals(MediaTypes.OCI_MANIFEST, m.descriptor().mediaType());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("GET /token?service=s&scope=repository%3Arepo%3Apull ")), log.toString());
        assertTrue(log.get(log.size() - 1).contains("auth=Bearer T"), log.toString());
        assertTrue(log.get(log.size() - 1).contains("accept=" + MediaTypes.ACCEPT), log.toString());
    }

    @Test
    void manifestsOverTheCapAreRefused() throws Exception {
        bodies.put("/v2/repo/manifests/t", MANIFEST);
        JctrException e = assertThrows(JctrException.class, () -> client(100).manifest("t"));
        assertEquals("manifest " + host + "/repo:t is " + MANIFEST.length + " bytes, more than the limit of 100 bytes: failed precondition",
                e.getMessage());
    }

    @Test
    void aManifestNotMatchingTheDigestAskedForIsRefused() throws Exception {
        String wanted = "sha256:" + "9".repeat(64);
        bodies.put("/v2/repo/manifests/" + wanted, MANIFEST);
        JctrException e = assertThrows(JctrException.class, () -> client(4 << 20).manifest(wanted));
        assertTrue(e.getMessage().startsWith("manifest " + host + "/repo@" + wanted + ": digest mismatch"), e.getMessage());
    }

    @Test
    void unknownManifestsAreNotFound() throws Exception {
        JctrException e = assertThrows(JctrException.class, () -> client(4 << 20).manifest("nope"));
        assertEquals(JctrException.Kind.NOT_FOUND, e.kind());
        assertEquals("failed to resolve reference \"" + host + "/repo:nope\": not found", e.getMessage());
    }

    @Test
    void blobsResumeWithRanges() throws Exception {
        byte[] blob = "0123456789".getBytes(StandardCharsets.UTF_8);
        String digest = RegistryClient.sha256(blob);
        bodies.put("/v2/repo/blobs/" + digest, blob);
        try (RegistryClient.BlobStream s = client(4 << 20).blob(digest, 4); InputStream in = s.body()) {
            assertEquals(4, s.start());
            assertArrayEquals("456789".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        try (RegistryClient.BlobStream s = client(4 << 20).blob(digest, 0); InputStream in = s.body()) {
            assertEquals(0, s.start());
            assertArrayEquals(blob, in.readAllBytes());
        }
    }
}
