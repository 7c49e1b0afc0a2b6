package io.jctr.core.registry;

import io.jctr.spi.Platform;
import java.util.Map;

/**
 * An OCI content descriptor as manifests and indexes list them.
 *
 * @param platform the platform an index gives for a manifest, or {@code null}
 */
public record Descriptor(String mediaType, String digest, long size, Platform platform, Map<String, String> annotations) {

    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public Descriptor(String mediaType, String digest, long size) {
        this(mediaType, digest, size, null, Map.of());
    }

    /** The hex part of the digest. */
    public String hex() {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
