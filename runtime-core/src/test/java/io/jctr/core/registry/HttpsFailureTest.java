package io.jctr.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Reasons as the JDK's HttpClient wraps them, reduced to what a user can act on. */
class HttpsFailureTest {

    @Test
    void theInnermostMessageWithoutClassNames() {
        SSLHandshakeException e = new SSLHandshakeException("PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path");
        e.initCause(new IllegalStateException("sun.security.provider.certpath.SunCertPathBuilderException: "
                + "unable to find valid certification path"));
        assertEquals("unable to find valid certification path", HttpsFailure.reason(e));
    }

    @Test
    void aRefusedConnectionHasNoMessageButIsNamed() {
        assertEquals("cannot connect", HttpsFailure.reason(new ConnectException()));
        assertEquals("cannot connect", HttpsFailure.reason(new IOException(null, new ConnectException())));
        assertEquals("IOException", HttpsFailure.reason(new IOException()));
    }
}
