package io.jctr.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throw-away CA and a server certificate it signed for one IP address, made with the openssl
 * command line (EC keys: generated in milliseconds). {@link #certDir} is laid out as skopeo's
 * {@code --dest-cert-dir} wants it, so a Go client checks the same chain jctr is asked to trust.
 *
 * @param caCert     the CA's certificate (PEM): what a registry client must be told to trust
 * @param serverCert the server certificate (PEM), IP subject alternative name only
 * @param serverKey  its private key (PEM)
 * @param certDir    a directory holding only {@code ca.crt}
 */
record TestCertificates(Path caCert, Path serverCert, Path serverKey, Path certDir) {

    static TestCertificates create(Path dir, String ip) throws IOException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key");
        Path caCert = dir.resolve("ca.crt");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=jctr test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", caKey.toString(), "-out", caCert.toString());
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=" + ip,
                "-keyout", key.toString(), "-out", csr.toString());
        // the name a client checks is the IP SAN: a CN alone is ignored by Go and by the JDK
        Path ext = dir.resolve("server.ext");
        Files.writeString(ext, "subjectAltName=IP:" + ip + "\nextendedKeyUsage=serverAuth\n");
        Path cert = dir.resolve("server.crt");
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(), "-set_serial", "2",
                "-days", "2", "-extfile", ext.toString(), "-out", cert.toString());
        Path certDir = Files.createDirectories(dir.resolve("skopeo-certs"));
        Files.copy(caCert, certDir.resolve("ca.crt"));
        return new TestCertificates(caCert, cert, key, certDir);
    }

    private static void openssl(String... args) {
        List<String> c = new java.util.ArrayList<>(List.of("openssl"));
        c.addAll(List.of(args));
        Commands.run(c).ok();
    }
}
