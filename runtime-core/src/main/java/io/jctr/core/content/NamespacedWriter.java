package io.jctr.core.content;

import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentInfo;
import io.jctr.spi.content.ContentWriter;
import io.jctr.spi.content.IngestStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * An ingest of one namespace: writes go to the store's writer; a commit also records the blob
 * for the namespace, including when another namespace committed the same digest first.
 * Not thread-safe: one client stream drives it.
 */
public final class NamespacedWriter implements AutoCloseable {

    private final ContentService service;
    private final String ns;
    private final String lease;
    private final ContentWriter writer;

    NamespacedWriter(ContentService service, String ns, String lease, ContentWriter writer) {
        this.service = service;
        this.ns = ns;
        this.lease = lease;
        this.writer = writer;
    }

    /** The ingest's status with the ref as the client named it. */
    public IngestStatus status() {
        IngestStatus s = writer.status();
        String prefix = ContentService.ingestRef(ns, "");
        return new IngestStatus(s.ref().substring(prefix.length()), s.offset(), s.total(), s.expected(),
                s.startedAt(), s.updatedAt());
    }

    /** The digest of the bytes written so far. */
    public String digest() {
        return writer.digest();
    }

    /**
     * Writes {@code data} at {@code offset}: appending at the current offset, restarting at 0,
     * anything else OUT_OF_RANGE (containerd's rule).
     */
    public void write(long offset, ByteBuffer data) throws IOException {
        long current = writer.status().offset();
        if (offset == 0 && current > 0) {
            writer.truncate(0);
        } else if (offset != current) {
            throw JctrException.outOfRange("write @%d must occur at current offset %d", offset, current);
        }
        while (data.hasRemaining()) {
            writer.write(data);
        }
    }

    /**
     * Commits the ingest, with containerd's metadata store's outcomes: when the store already
     * holds the blob but this namespace does not (another namespace committed it first), the
     * namespace gets its record and the commit succeeds; when this namespace already holds it,
     * the commit fails with ALREADY_EXISTS (the blob is still added to the call's lease, the
     * ingest is gone and the stored labels stay). An expected digest the namespace already holds
     * ends the ingest with ALREADY_EXISTS before anything is verified, as containerd's content
     * service does. Callers that only want the blob present take ALREADY_EXISTS as success, as
     * containerd's {@code content.WriteBlob} does.
     */
    public ContentInfo commit(long size, String expected, Map<String, String> labels) throws IOException {
        if (!expected.isEmpty()) {
            ContentService.validateDigest(expected);
            if (service.holds(ns, expected)) {
                String ref = writer.status().ref();
                writer.close();
                service.discardIngest(ref);
                throw JctrException.alreadyExists("content %s", expected);
            }
        }
        String written = writer.digest();
        ContentInfo info;
        try {
            info = writer.commit(size, expected, labels);
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            info = service.store().info(expected.isEmpty() ? written : expected);
        }
        service.recordCommitted(ns, lease, info, labels);
        return info;
    }

    /**
     * {@link #commit}, taking ALREADY_EXISTS as success, as containerd's {@code content.WriteBlob}
     * does: for callers that only need the blob present in the namespace (imports, pulls).
     *
     * @return the blob's info in the store
     */
    public ContentInfo commitOrKeep(long size, String expected, Map<String, String> labels) throws IOException {
        String digest = expected.isEmpty() ? writer.digest() : expected; // the writer is closed after a commit
        try {
            return commit(size, expected, labels);
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            return service.store().info(digest);
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
