package io.jctr.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP server posing as a registry (OCI distribution API, pull side) for what a real
 * registry will not do on request: serve a blob whose bytes do not match its digest, an
 * over-sized manifest, bearer and basic auth challenges, redirects of blobs to another host,
 * a connection cut in the middle of a blob. Every request is logged.
 */
final class FakeRegistry implements AutoCloseable {

    enum Auth { NONE, BEARER, BASIC }

    /** One request as the server saw it. */
    record Request(String method, String path, Map<String, List<String>> headers) {
        String header(String name) {
            List<String> v = headers.get(Character.toUpperCase(name.charAt(0)) + name.substring(1).toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? "" : v.get(0);
        }
    }

    final String address;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<Request> storageRequests = new CopyOnWriteArrayList<>();
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final Map<String, byte[]> corrupt = new ConcurrentHashMap<>();
    final Map<String, Integer> cutOnce = new ConcurrentHashMap<>();
    volatile String manifestDigest;
    volatile byte[] manifest;
    volatile Auth auth = Auth.NONE;
    volatile String user = "";
    volatile String password = "";
    volatile boolean redirectBlobs;
    /** When positive, blobs are sent in 16 KiB pieces with this many milliseconds between them. */
    volatile int throttleMillis;
    private final HttpServer server;
    private final HttpServer storage;
    private static final String TOKEN = "tok-123";

    private FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        address = "127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/", this::handle);
        storage.createContext("/", this::handleStorage);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        storage.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        storage.start();
    }

    /** Serves the single-manifest OCI layout (tag latest) at repository {@code busybox}. */
    static FakeRegistry serving(Path layout) throws IOException {
        FakeRegistry r = new FakeRegistry();
        try (var files = Files.list(layout.resolve("blobs/sha256"))) {
            for (Path p : files.toList()) {
                r.blobs.put("sha256:" + p.getFileName(), Files.readAllBytes(p));
            }
        }
        String index = Files.readString(layout.resolve("index.json"));
        int at = index.indexOf("sha256:");
        r.manifestDigest = index.substring(at, at + 71);
        r.manifest = r.blobs.get(r.manifestDigest);
        return r;
    }

    String ref() {
        return address + "/busybox:latest";
    }

    /** The digest of the manifest's first layer. */
    String layerDigest() {
        String m = new String(manifest, StandardCharsets.UTF_8);
        int layers = m.indexOf("\"layers\"");
        int at = m.indexOf("sha256:", layers);
        return m.substring(at, at + 71);
    }

    private void handle(HttpExchange x) throws IOException {
        Request req = new Request(x.getRequestMethod(), x.getRequestURI().toString(), Map.copyOf(x.getRequestHeaders()));
        requests.add(req);
        try (x) {
            String path = x.getRequestURI().getPath();
            if (path.equals("/token")) {
                String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
                if (!user.isEmpty() && !basic.equals(req.header("authorization"))) {
                    send(x, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}".getBytes());
                    return;
                }
                send(x, 200, "application/json", ("{\"token\":\"" + TOKEN + "\"}").getBytes());
                return;
            }
            if (!authorized(req)) {
                x.getResponseHeaders().add("WWW-Authenticate", auth == Auth.BEARER
                        ? "Bearer realm=\"http://" + address + "/token\",service=\"fake\",scope=\"repository:busybox:pull\""
                        : "Basic realm=\"fake\"");
                send(x, 401, "application/json", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes());
                return;
            }
            if (path.equals("/v2/busybox/manifests/latest") || path.equals("/v2/busybox/manifests/" + manifestDigest)) {
                x.getResponseHeaders().add("Docker-Content-Digest", manifestDigest);
                send(x, 200, "application/vnd.oci.image.manifest.v1+json", x.getRequestMethod().equals("HEAD") ? null : manifest);
                return;
            }
            if (path.startsWith("/v2/busybox/blobs/sha256:")) {
                String digest = path.substring("/v2/busybox/blobs/".length());
                if (redirectBlobs) {
                    x.getResponseHeaders().add("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/storage/" + digest);
                    send(x, 307, "text/plain", new byte[0]);
                    return;
                }
                serveBlob(x, digest, req);
                return;
            }
            send(x, 404, "application/json", "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"unknown\"}]}".getBytes());
        }
    }

    private void handleStorage(HttpExchange x) throws IOException {
        Request req = new Request(x.getRequestMethod(), x.getRequestURI().toString(), Map.copyOf(x.getRequestHeaders()));
        storageRequests.add(req);
        try (x) {
            serveBlob(x, x.getRequestURI().getPath().substring("/storage/".length()), req);
        }
    }

    private void serveBlob(HttpExchange x, String digest, Request req) throws IOException {
        byte[] data = corrupt.getOrDefault(digest, blobs.get(digest));
        if (data == null) {
            send(x, 404, "application/json", "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"blob unknown\"}]}".getBytes());
            return;
        }
        String range = req.header("range");
        int start = 0;
        if (range.startsWith("bytes=") && range.endsWith("-")) {
            start = Integer.parseInt(range.substring(6, range.length() - 1));
            x.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (data.length - 1) + "/" + data.length);
        }
        x.getResponseHeaders().add("Content-Type", "application/octet-stream");
        x.sendResponseHeaders(start > 0 ? 206 : 200, data.length - start);
        Integer cut = cutOnce.remove(digest);
        OutputStream out = x.getResponseBody();
        if (cut != null) {
            out.write(data, start, cut);
            out.flush();
            throw new IOException("cut on purpose"); // the exchange closes with the body short
        }
        if (throttleMillis <= 0) {
            out.write(data, start, data.length - start);
            return;
        }
        for (int off = start; off < data.length; off += 16 << 10) {
            out.write(data, off, Math.min(16 << 10, data.length - off));
            out.flush();
            try {
                Thread.sleep(throttleMillis); // a slow registry, so a test can act mid-download
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    private boolean authorized(Request req) {
        String h = req.header("authorization");
        return switch (auth) {
            case NONE -> true;
            case BEARER -> h.equals("Bearer " + TOKEN);
            case BASIC -> h.equals("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        };
    }

    private static void send(HttpExchange x, int code, String type, byte[] body) throws IOException {
        x.getResponseHeaders().add("Content-Type", type);
        x.getResponseHeaders().add("Docker-Distribution-Api-Version", "registry/2.0");
        if (body == null) {
            x.sendResponseHeaders(code, -1);
            return;
        }
        x.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        x.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        storage.stop(0);
    }
}
