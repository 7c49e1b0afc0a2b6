package io.jctr.spi.content;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the store knows about one committed blob (containerd's {@code content.Info}).
 *
 * @param digest    the blob's digest, {@code sha256:<hex>}
 * @param size      the blob's size in bytes, at least 0
 * @param createdAt when the blob was committed
 * @param updatedAt when the blob or its labels last changed; equals {@code createdAt} until then
 * @param labels    the blob's labels, never {@code null}; copied, immutable
 */
public record ContentInfo(String digest, long size, Instant createdAt, Instant updatedAt,
                          Map<String, String> labels) {

    /**
     * Validates and copies the components.
     *
     * @throws NullPointerException     when the digest or a time is {@code null}
     * @throws IllegalArgumentException when the digest is empty or the size negative
     */
    public ContentInfo {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (digest.isEmpty()) {
            throw new IllegalArgumentException("content info needs a digest");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for content " + digest);
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
