package io.jctr.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * HTTP to one registry host for one repository session: picks https or http, answers 401
 * challenges (bearer tokens from the challenge's realm with the session's scopes, or basic auth)
 * and retries once, follows redirects itself (so a blob redirected to storage elsewhere does not
 * carry the registry's credentials there). Bodies are streams; nothing is buffered here.
 *
 * <p>Thread-safe: concurrent blob downloads share one session and its token.
 */
final class RegistryHttp {

    private static final int MAX_REDIRECTS = 10;
    /**
     * How long https may take to answer when http is also allowed: a plain-http server that
     * waits for a request line after a TLS hello would otherwise hold the pull for minutes.
     */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final String host;
    private final Credentials credentials;
    private final Set<String> scopes = new LinkedHashSet<>();
    private final boolean httpOnly;
    private final boolean httpAllowed;
    // guarded by this
    private String authorization;
    private String scheme;

    RegistryHttp(HttpClient client, String host, Credentials credentials, boolean plainHttp, RegistryConfig config, String scope) {
        this.client = client;
        this.host = host;
        this.credentials = credentials;
        this.httpOnly = plainHttp;
        this.httpAllowed = plainHttp || config.insecureHosts().contains(host) || isLoopback(host);
        this.scopes.add(scope);
    }

    synchronized void addScope(String scope) {
        scopes.add(scope);
    }

    static boolean isLoopback(String host) {
        String name = host.startsWith("[") ? host.substring(1, host.indexOf(']')) : host.replaceFirst(":[0-9]+$", "");
        if (name.equals("localhost")) {
            return true;
        }
        if (!name.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // never resolve names here: only literal addresses count
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** {@code scheme://host} + {@code path}. */
    synchronized URI uri(String path) {
        return URI.create((scheme == null ? (httpOnly ? "http" : "https") : scheme) + "://" + host + path);
    }

    /** A request that may be retried (no body, or a body the publisher can replay). */
    <T> HttpResponse<T> send(String method, String path, Map<String, String> headers, HttpRequest.BodyPublisher body,
                             HttpResponse.BodyHandler<T> handler) throws IOException {
        URI target = path.startsWith("http://") || path.startsWith("https://") ? URI.create(path) : uri(path);
        boolean probing;
        synchronized (this) {
            probing = scheme == null && httpAllowed && target.getScheme().equals("https");
        }
        try {
            return sendAuthorized(method, target, headers, body, handler, probing ? PROBE_TIMEOUT : TIMEOUT);
        } catch (IOException e) {
            if (target.getScheme().equals("https")) {
                // the server does speak TLS: falling back to http would only hide why it was refused
                HttpsFailure.checkCertificate(host, e);
            }
            boolean tlsFailed = e instanceof SSLException || e instanceof ConnectException || e.getCause() instanceof SSLException
                    || probing && e instanceof java.net.http.HttpTimeoutException;
            if (!tlsFailed) {
                throw named(method, target, e);
            }
            synchronized (this) {
                if (!httpAllowed && target.getScheme().equals("https")) {
                    throw new IOException("https to registry " + host + " failed: " + HttpsFailure.reason(e)
                            + " (for an http-only registry use --plain-http, or list it in insecure-registries)", e);
                }
                if ("https".equals(scheme) || !target.getScheme().equals("https")) {
                    throw named(method, target, e);
                }
                scheme = "http"; // an http-only registry allowed to be one: loopback or configured insecure
            }
            URI plain = URI.create("http" + target.toString().substring("https".length()));
            try {
                return sendAuthorized(method, plain, headers, body, handler, TIMEOUT);
            } catch (IOException again) {
                throw named(method, plain, again);
            }
        }
    }

    /**
     * {@code e} with the registry and the request in its message: the JDK's client says only
     * "java.net.ConnectException" when a registry refuses the connection.
     */
    private IOException named(String method, URI target, IOException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("registry ")) {
            return e;
        }
        return new IOException("registry " + host + ": " + method + " " + target + ": " + HttpsFailure.reason(e), e);
    }

    private <T> HttpResponse<T> sendAuthorized(String method, URI target, Map<String, String> headers,
                                               HttpRequest.BodyPublisher body, HttpResponse.BodyHandler<T> handler,
                                               Duration timeout) throws IOException {
        String auth;
        synchronized (this) {
            auth = authorization;
        }
        HttpResponse<T> r = follow(method, target, headers, body, handler, auth, timeout);
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("www-authenticate").orElse("");
            drain(r);
            String fresh = authorize(challenge, auth);
            r = follow(method, target, headers, body, handler, fresh, timeout);
        }
        synchronized (this) {
            if (scheme == null) {
                scheme = target.getScheme();
            }
        }
        return r;
    }

    private <T> HttpResponse<T> follow(String method, URI start, Map<String, String> headers, HttpRequest.BodyPublisher body,
                                       HttpResponse.BodyHandler<T> handler, String auth, Duration timeout) throws IOException {
        URI target = start;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
            headers.forEach(b::header);
            if (auth != null && sameOrigin(start, target)) {
                b.header("Authorization", auth);
            }
            HttpResponse<T> r = exchange(b.build(), handler);
            int code = r.statusCode();
            boolean redirect = code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
            if (!redirect || r.headers().firstValue("location").isEmpty()) {
                return r;
            }
            drain(r);
            target = target.resolve(r.headers().firstValue("location").get());
        }
        throw new JctrException(JctrException.Kind.UNKNOWN, "too many redirects fetching " + start);
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equals(b.getScheme()) && a.getAuthority().equals(b.getAuthority());
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return client.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted: " + request.method() + " " + request.uri());
        }
    }

    private String authorize(String header, String previous) throws IOException {
        List<AuthChallenge> challenges = AuthChallenge.parse(header);
        for (AuthChallenge c : challenges) {
            if (c.scheme().equals("bearer") && !c.param("realm").isEmpty()) {
                String token = token(c);
                synchronized (this) {
                    authorization = "Bearer " + token;
                    return authorization;
                }
            }
        }
        for (AuthChallenge c : challenges) {
            if (c.scheme().equals("basic") && credentials.hasBasic()) {
                String basic = basic();
                if (basic.equals(previous)) {
                    break;
                }
                synchronized (this) {
                    authorization = basic;
                    return authorization;
                }
            }
        }
        return previous; // nothing better to offer: the retry reports the registry's refusal
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((credentials.username() + ":" + credentials.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A token from the challenge's realm for our scopes and the challenge's own. */
    private String token(AuthChallenge c) throws IOException {
        Set<String> wanted;
        synchronized (this) {
            wanted = new LinkedHashSet<>(scopes);
        }
        if (!c.param("scope").isEmpty()) {
            wanted.addAll(List.of(c.param("scope").split(" ")));
        }
        StringBuilder query = new StringBuilder();
        if (!c.param("service").isEmpty()) {
            query.append("service=").append(enc(c.param("service")));
        }
        for (String s : wanted) {
            query.append(query.length() == 0 ? "" : "&").append("scope=").append(enc(s));
        }
        URI realm = URI.create(c.param("realm"));
        HttpRequest request;
        if (!credentials.identityToken().isEmpty()) {
            String form = query + "&grant_type=refresh_token&client_id=jctr&refresh_token=" + enc(credentials.identityToken());
            request = HttpRequest.newBuilder(realm).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        } else {
            URI uri = URI.create(realm + (realm.getQuery() == null ? "?" : "&") + query);
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET();
            if (credentials.hasBasic()) {
                b.header("Authorization", basic());
            }
            request = b.build();
        }
        HttpResponse<byte[]> r = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new JctrException(JctrException.Kind.FAILED_PRECONDITION, "failed to fetch a token from " + realm + " for "
                    + String.join(" ", wanted) + ": " + r.statusCode() + " " + RegistryErrors.body(r.body()));
        }
        JsonNode json = JSON.readTree(r.body());
        String token = json.path("token").asText(json.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new JctrException(JctrException.Kind.FAILED_PRECONDITION, "token endpoint " + realm + " returned no token");
        }
        return token;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void drain(HttpResponse<?> r) {
        if (r.body() instanceof InputStream in) {
            try (in) {
                in.skip(1 << 16);
            } catch (IOException ignored) {
                // the connection is discarded then; nothing to report
            }
        }
    }
}
