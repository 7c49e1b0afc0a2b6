package io.jctr.core.registry;

import io.jctr.spi.JctrException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The OCI distribution API for one repository: manifests by tag or digest (size-capped and
 * digest-verified), blobs as streams (with range resume), and the push side (existence checks,
 * cross-repository mounts, monolithic and chunked uploads, manifest PUTs). Thread-safe.
 */
public final class RegistryClient {

    private final Reference ref;
    private final RegistryHttp http;
    private final long maxManifestBytes;

    private RegistryClient(Reference ref, RegistryHttp http, long maxManifestBytes) {
        this.ref = ref;
        this.http = http;
        this.maxManifestBytes = maxManifestBytes;
    }

    /** A session for pulling ({@code push=false}) or pushing {@code ref}'s repository. */
    public static RegistryClient open(HttpClient client, RegistryConfig config, Reference ref, Credentials credentials,
                                      boolean plainHttp, boolean push) {
        String scope = "repository:" + ref.repository() + (push ? ":pull,push" : ":pull");
        return new RegistryClient(ref, new RegistryHttp(client, ref.endpoint(), credentials, plainHttp, config, scope),
                config.maxManifestBytes());
    }

    /** An HTTP client for registries: HTTP/1.1 (one connection per concurrent blob), no automatic redirects. */
    public static HttpClient httpClient(RegistryConfig config) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30)).sslContext(config.ssl()).build();
    }

    public Reference reference() {
        return ref;
    }

    /** A fetched manifest or index, verified against its digest. */
    public record FetchedManifest(Descriptor descriptor, byte[] bytes) {
    }

    /**
     * Fetches the manifest or index {@code object} (a tag or digest) of the repository.
     *
     * @throws JctrException NOT_FOUND when the registry does not have it; FAILED_PRECONDITION when
     *                       it is larger than the limit or does not match its digest
     */
    public FetchedManifest manifest(String object) throws IOException {
        String what = ref.locator() + (object.startsWith("sha256:") ? "@" : ":") + object;
        HttpResponse<InputStream> r = http.send("GET", "/v2/" + ref.repository() + "/manifests/" + object,
                Map.of("Accept", MediaTypes.ACCEPT), null, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw r.statusCode() == 404 ? notFound(r, "failed to resolve reference \"" + what + "\"")
                    : RegistryErrors.unexpected(r, "failed to resolve reference \"" + what + "\"");
        }
        long declared = r.headers().firstValueAsLong("content-length").orElse(-1);
        byte[] bytes;
        try (InputStream in = r.body()) {
            if (declared > maxManifestBytes) {
                throw tooLarge(what, declared);
            }
            bytes = in.readNBytes((int) maxManifestBytes + 1);
        }
        if (bytes.length > maxManifestBytes) {
            throw tooLarge(what, -1);
        }
        String digest = sha256(bytes);
        String expected = object.startsWith("sha256:") ? object : r.headers().firstValue("docker-content-digest").orElse(digest);
        if (!digest.equals(expected)) {
            throw JctrException.failedPrecondition("manifest %s: digest mismatch: registry sent content with digest %s", what, digest);
        }
        String contentType = r.headers().firstValue("content-type").orElse("").split(";")[0].trim();
        String mediaType = ManifestParser.mediaType(bytes, contentType, "manifest " + what);
        return new FetchedManifest(new Descriptor(mediaType, digest, bytes.length), bytes);
    }

    private JctrException tooLarge(String what, long size) {
        return JctrException.failedPrecondition("manifest %s is %s than the limit of %d bytes", what,
                size < 0 ? "larger" : size + " bytes, more", maxManifestBytes);
    }

    private JctrException notFound(HttpResponse<InputStream> r, String what) {
        HttpResponse<?> unused = r;
        RegistryHttp.drain(unused);
        return JctrException.notFound("%s", what);
    }

    /** A blob body from {@code start}: the registry honoured the range request, or (start 0) sent all of it. */
    public record BlobStream(InputStream body, long start) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /**
     * Opens blob {@code digest}, asking for the bytes from {@code offset} on when it is positive.
     *
     * @throws JctrException NOT_FOUND when the registry does not have the blob
     */
    public BlobStream blob(String digest, long offset) throws IOException {
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> r = http.send("GET", "/v2/" + ref.repository() + "/blobs/" + digest, headers, null,
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 206 && offset > 0
                && r.headers().firstValue("content-range").orElse("").startsWith("bytes " + offset + "-")) {
            return new BlobStream(r.body(), offset);
        }
        if (r.statusCode() == 200 || r.statusCode() == 206 && offset == 0) {
            if (r.statusCode() == 206) {
                RegistryHttp.drain(r); // a range we did not ask for
                return blob(digest, 0);
            }
            return new BlobStream(r.body(), 0);
        }
        if (r.statusCode() == 416 && offset > 0) {
            RegistryHttp.drain(r);
            return blob(digest, 0);
        }
        throw r.statusCode() == 404 ? notFound(r, "blob " + digest + " of " + ref.locator())
                : RegistryErrors.unexpected(r, "failed to fetch blob " + digest + " of " + ref.locator());
    }

    /** Whether the repository already has blob {@code digest}. */
    public boolean hasBlob(String digest) throws IOException {
        HttpResponse<Void> r = http.send("HEAD", "/v2/" + ref.repository() + "/blobs/" + digest, Map.of(), null,
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 404) {
            return false;
        }
        throw RegistryErrors.unexpected(r, "failed to check blob " + digest + " in " + ref.locator());
    }

    /**
     * Starts an upload; with {@code mountFrom} non-empty, first asks the registry to mount the
     * blob from that repository of the same registry.
     *
     * @return empty when the blob was mounted, else the upload's location
     */
    public String startUpload(String digest, String mountFrom) throws IOException {
        String path = "/v2/" + ref.repository() + "/blobs/uploads/";
        if (!mountFrom.isEmpty()) {
            http.addScope("repository:" + mountFrom + ":pull");
            path += "?mount=" + digest + "&from=" + mountFrom;
        }
        HttpResponse<InputStream> r = http.send("POST", path, Map.of(), HttpRequest.BodyPublishers.noBody(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() == 201 && !mountFrom.isEmpty()) {
            RegistryHttp.drain(r);
            return "";
        }
        if (r.statusCode() != 202) {
            throw RegistryErrors.unexpected(r, "failed to start an upload of " + digest + " to " + ref.locator());
        }
        RegistryHttp.drain(r);
        return location(r, digest);
    }

    /** Uploads the whole blob in one PUT. */
    public void uploadMonolithic(String location, String digest, long size, Supplier<InputStream> data) throws IOException {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(data), size);
        HttpResponse<InputStream> r = http.send("PUT", withDigest(location, digest),
                Map.of("Content-Type", "application/octet-stream"), body, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 201) {
            throw RegistryErrors.unexpected(r, "failed to upload blob " + digest + " to " + ref.locator());
        }
        RegistryHttp.drain(r);
    }

    /** Sends one chunk {@code [offset, offset+length)} with PATCH; returns the next location. */
    public String uploadChunk(String location, String digest, long offset, long length, Supplier<InputStream> data)
            throws IOException {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(data), length);
        HttpResponse<InputStream> r = http.send("PATCH", location, Map.of("Content-Type", "application/octet-stream",
                "Content-Range", offset + "-" + (offset + length - 1)), body, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 202) {
            throw RegistryErrors.unexpected(r, "failed to upload a chunk of blob " + digest + " at offset " + offset + " to " + ref.locator());
        }
        RegistryHttp.drain(r);
        return location(r, digest);
    }

    /** Completes a chunked upload. */
    public void finishUpload(String location, String digest) throws IOException {
        HttpResponse<InputStream> r = http.send("PUT", withDigest(location, digest), Map.of(),
                HttpRequest.BodyPublishers.noBody(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 201) {
            throw RegistryErrors.unexpected(r, "failed to complete the upload of blob " + digest + " to " + ref.locator());
        }
        RegistryHttp.drain(r);
    }

    /** PUTs a manifest or index under {@code object} (a tag or its digest). */
    public void putManifest(String object, String mediaType, byte[] bytes) throws IOException {
        HttpResponse<InputStream> r = http.send("PUT", "/v2/" + ref.repository() + "/manifests/" + object,
                Map.of("Content-Type", mediaType), HttpRequest.BodyPublishers.ofByteArray(bytes), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 201) {
            throw RegistryErrors.unexpected(r, "failed to push manifest " + sha256(bytes) + " to " + ref.locator() + ":" + object);
        }
        RegistryHttp.drain(r);
    }

    private String location(HttpResponse<?> r, String digest) {
        String loc = r.headers().firstValue("location").orElseThrow(() -> new JctrException(JctrException.Kind.UNKNOWN,
                "registry " + ref.host() + " sent no upload location for " + digest));
        return r.request().uri().resolve(URI.create(loc)).toString();
    }

    private static String withDigest(String location, String digest) {
        return location + (location.contains("?") ? "&" : "?") + "digest=" + digest;
    }

    /** {@code sha256:<hex>} of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
