package io.jctr.core.registry;

import io.jctr.spi.JctrException;
import java.io.IOException;
import java.net.ConnectException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;

/**
 * Explains a failed https exchange: one caused by the server's certificate (unknown CA, wrong
 * name, expired) becomes an error that says so and where trust is configured; any other gets
 * its reason without the JDK's wrapping.
 */
final class HttpsFailure {

    /** Where a private CA is configured: the pull plugin's section of the daemon configuration. */
    static final String SETTING = "ca-file of plugin io.jctr.transfer.v1.pull-service";

    private HttpsFailure() {
    }

    /**
     * A server that presented a certificate speaks TLS, so its rejection is never a reason to
     * try plain http: the caller throws this error instead.
     *
     * @throws JctrException FAILED_PRECONDITION naming {@code host}, the reason and {@link #SETTING}
     *                       when {@code e} was caused by the certificate; returns otherwise
     */
    static void checkCertificate(String host, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
                throw new JctrException(JctrException.Kind.FAILED_PRECONDITION, "https to registry " + host
                        + ": its certificate is not trusted: " + reason(t) + " (if a private CA signed it, name that CA's PEM file in "
                        + SETTING + ")", e);
            }
        }
    }

    /**
     * The innermost message: the JDK's outer ones repeat it behind class names ("PKIX path
     * building failed: sun.security...Exception: unable to find valid certification path").
     */
    static String reason(Throwable e) {
        String reason = null;
        boolean connect = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                reason = t.getMessage();
            }
            connect |= t instanceof ConnectException;
        }
        if (reason == null) {
            // the JDK's HttpClient reports a refused connection with no message at all
            return connect ? "cannot connect" : e.getClass().getSimpleName();
        }
        return reason.replaceFirst("^([a-z][\\w$]*\\.)+[A-Z][\\w$]*: ", "");
    }
}
