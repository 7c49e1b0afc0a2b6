package io.jctr.core.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The TLS context for registries: the JDK's trusted CAs plus those of a configured PEM file. */
public final class TrustedCertificates {

    private static final Pattern PEM_CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]*)-----END CERTIFICATE-----");

    private TrustedCertificates() {
    }

    /**
     * @throws IllegalArgumentException {@code "ca-file FILE: problem"} when the file cannot be
     *                                  read, holds no PEM certificate or a broken one
     */
    public static SSLContext sslContext(Optional<Path> caFile) {
        try {
            if (caFile.isEmpty()) {
                return SSLContext.getDefault();
            }
            List<X509Certificate> own = readPem(caFile.get());
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            // the JDK's CAs stay trusted: ca-file adds to them, as docker's certs.d and containerd's ca do
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            int n = 0;
            for (var tm : jdk.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        store.setCertificateEntry("jdk-" + n++, c);
                    }
                }
            }
            for (int i = 0; i < own.size(); i++) {
                store.setCertificateEntry("ca-" + i, own.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS trust with ca-file " + caFile.orElse(null) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The certificates of the PEM blocks in {@code file}; other blocks (a key in the same file)
     * are ignored. Only PEM: a DER file is refused rather than half-understood.
     */
    static List<X509Certificate> readPem(Path file) {
        String text;
        try {
            // ISO-8859-1 decodes any bytes: a binary file is then simply one without PEM blocks
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw bad(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw bad(file, "permission denied", e);
        } catch (IOException e) {
            throw bad(file, "cannot read it: " + e.getMessage(), e);
        }
        List<X509Certificate> certs = new ArrayList<>();
        Matcher m = PEM_CERTIFICATE.matcher(text);
        while (m.find()) {
            try {
                byte[] der = Base64.getMimeDecoder().decode(m.group(1));
                certs.add((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException | IllegalArgumentException e) {
                throw bad(file, "certificate " + (certs.size() + 1) + " is not valid: " + e.getMessage(), e);
            }
        }
        if (certs.isEmpty()) {
            throw bad(file, "holds no PEM certificate (a \"-----BEGIN CERTIFICATE-----\" block)", null);
        }
        return certs;
    }

    private static IllegalArgumentException bad(Path file, String problem, Exception cause) {
        return new IllegalArgumentException("ca-file " + file + ": " + problem, cause);
    }
}
