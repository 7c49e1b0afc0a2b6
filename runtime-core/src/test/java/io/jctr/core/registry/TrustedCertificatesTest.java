package io.jctr.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading ca-file: every way it can be wrong is an error naming the file and the problem. */
class TrustedCertificatesTest {

    @TempDir
    Path dir;

    /** Some real CA certificate as PEM: one of the JDK's own trust anchors. */
    private static String pem() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        X509Certificate c = ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers()[0];
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    private String problem(Path file) {
        return assertThrows(IllegalArgumentException.class, () -> TrustedCertificates.sslContext(Optional.of(file))).getMessage();
    }

    @Test
    void certificatesAreReadAndOtherBlocksIgnored() throws Exception {
        Path f = dir.resolve("bundle.pem");
        Files.writeString(f, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" + pem() + "comment\n" + pem());
        assertEquals(2, TrustedCertificates.readPem(f).size());
        assertEquals("TLS", TrustedCertificates.sslContext(Optional.of(f)).getProtocol());
    }

    @Test
    void aMissingFile() {
        Path f = dir.resolve("nope.pem");
        assertEquals("ca-file " + f + ": no such file", problem(f));
    }

    @Test
    void aFileWithoutACertificate() throws Exception {
        Path key = dir.resolve("key.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertEquals("ca-file " + key + ": holds no PEM certificate (a \"-----BEGIN CERTIFICATE-----\" block)", problem(key));
        Path binary = dir.resolve("ca.der");
        Files.write(binary, new byte[] {0x30, (byte) 0x82, (byte) 0xff, 0x00, (byte) 0xfe});
        assertTrue(problem(binary).startsWith("ca-file " + binary + ": holds no PEM certificate"), problem(binary));
    }

    @Test
    void aBrokenCertificateBlock() throws Exception {
        Path f = dir.resolve("broken.pem");
        Files.writeString(f, pem() + "-----BEGIN CERTIFICATE-----\nMIIBbroken\n-----END CERTIFICATE-----\n");
        assertTrue(problem(f).startsWith("ca-file " + f + ": certificate 2 is not valid: "), problem(f));
    }

    @Test
    void aDirectory() {
        assertTrue(problem(dir).startsWith("ca-file " + dir + ": cannot read it: "), problem(dir));
    }
}
