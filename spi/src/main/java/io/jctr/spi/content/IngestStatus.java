package io.jctr.spi.content;

import java.time.Instant;
import java.util.Objects;

/**
 * The progress of one active ingest, a write that has not been committed or aborted yet
 * (containerd's {@code content.Status}).
 *
 * @param ref       the ingest's ref, never empty
 * @param offset    how many bytes have been written so far, at least 0
 * @param total     the expected total size, or 0 when unknown
 * @param expected  the expected digest, or {@code ""} when unknown
 * @param startedAt when the ingest was first opened
 * @param updatedAt when data was last written to it
 */
public record IngestStatus(String ref, long offset, long total, String expected, Instant startedAt,
                           Instant updatedAt) {

    /**
     * Validates the components; a {@code null} expected digest becomes {@code ""}.
     *
     * @throws NullPointerException     when the ref or a time is {@code null}
     * @throws IllegalArgumentException when the ref is empty or a size negative
     */
    public IngestStatus {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (ref.isEmpty()) {
            throw new IllegalArgumentException("ingest status needs a ref");
        }
        if (offset < 0 || total < 0) {
            throw new IllegalArgumentException("negative offset " + offset + " or total " + total + " for ingest " + ref);
        }
        expected = expected == null ? "" : expected;
    }
}
