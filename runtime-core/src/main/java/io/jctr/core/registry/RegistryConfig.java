package io.jctr.core.registry;

import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * How the daemon talks to registries: hosts allowed over plain HTTP (besides loopback and
 * {@code --plain-http}), and the TLS trust (the JDK's, plus configured CAs).
 *
 * @param insecureHosts  registry hosts ({@code host[:port]}) reachable over http
 * @param ssl            the TLS context for https
 * @param maxManifestBytes manifests and indexes larger than this are refused
 */
public record RegistryConfig(List<String> insecureHosts, SSLContext ssl, long maxManifestBytes) {

    /** containerd's limit on manifests it reads into memory. */
    public static final long DEFAULT_MAX_MANIFEST_BYTES = 4L << 20;

    public RegistryConfig {
        insecureHosts = List.copyOf(insecureHosts);
    }
}
