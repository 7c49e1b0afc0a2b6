package io.jctr.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against an in-process https server whose self-signed certificate (made with the
 * JDK's keytool, so no other tool is needed) names 127.0.0.1: trusted through a ca-file, refused
 * with an actionable error otherwise, and never retried over http although the host is loopback.
 */
class RegistryTlsTest {

    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"digest\":\"sha256:" + "1".repeat(64) + "\",\"size\":1},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    private static Path keystore;
    private static Path certPem;
    private HttpsServer server;
    private String host;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /** Once for the class: each keytool run is a JVM start. */
    @BeforeAll
    static void certificate() throws Exception {
        keystore = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "secret", "-keypass", "secret");
        certPem = dir.resolve("server.pem");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-storepass", "secret",
                "-file", certPem.toString());
    }

    @BeforeEach
    void start() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "secret".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "secret".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/", x -> {
            try (x) {
                requests.add(x.getRequestMethod() + " " + x.getRequestURI());
                x.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.manifest.v1+json");
                x.sendResponseHeaders(200, MANIFEST.length);
                x.getResponseBody().write(MANIFEST);
            }
        });
        server.start();
        host = "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        c.addAll(List.of(args));
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("keytool failed: " + c + "\n" + out);
        }
    }

    private RegistryClient client(SSLContext ssl) {
        RegistryConfig config = new RegistryConfig(List.of(), ssl, RegistryConfig.DEFAULT_MAX_MANIFEST_BYTES);
        return RegistryClient.open(RegistryClient.httpClient(config), config, Reference.parse(host + "/repo:t"), Credentials.NONE,
                false, false);
    }

    @Test
    void aCaFileNamingTheCertificateMakesTheRegistryTrusted() throws Exception {
        RegistryClient.FetchedManifest m = client(TrustedCertificates.sslContext(Optional.of(certPem))).manifest("t");
        assertEquals(RegistryClient.sha256(MANIFEST), m.descriptor().digest());
        assertEquals(List.of("GET /v2/repo/manifests/t"), requests);
    }

    @Test
    void anUntrustedCertificateIsReportedNotRetriedOverHttp() throws Exception {
        JctrException e = assertThrows(JctrException.class, () -> client(SSLContext.getDefault()).manifest("t"));
        assertEquals(JctrException.Kind.FAILED_PRECONDITION, e.kind());
        assertEquals("https to registry " + host + ": its certificate is not trusted: unable to find valid certification path to "
                + "requested target (if a private CA signed it, name that CA's PEM file in ca-file of plugin "
                + "io.jctr.transfer.v1.pull-service): failed precondition", e.getMessage());
        assertTrue(requests.isEmpty(), "no request got through: " + requests);
    }

    @Test
    void aTrustedCertificateForAnotherNameIsReportedAsWell() throws Exception {
        // "localhost" resolves to the same server, but the certificate names only 127.0.0.1
        host = "localhost:" + server.getAddress().getPort();
        JctrException e = assertThrows(JctrException.class,
                () -> client(TrustedCertificates.sslContext(Optional.of(certPem))).manifest("t"));
        assertTrue(e.getMessage().startsWith("https to registry " + host + ": its certificate is not trusted: "
                + "No name matching localhost found"), e.getMessage());
        assertTrue(requests.isEmpty(), "no request got through: " + requests);
    }
}
