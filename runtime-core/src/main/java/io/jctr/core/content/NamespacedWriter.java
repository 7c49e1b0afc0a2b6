package io.jctr.core.content;

import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentInfo;
import io.jctr.spi.content.ContentReader;
import io.jctr.spi.content.ContentWriter;
import io.jctr.spi.content.IngestStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

/**
 * An ingest of one namespace: writes go to the store's writer; a commit also records the blob
 * for the namespace, including when another namespace committed the same digest first.
 *
 * <p>A writer may start out sharing a blob another namespace holds (see
 * {@link ContentService#clientWriter}), as containerd's metadata store's writer does: it then has
 * no ingest yet and stands at the blob's end; a commit records the blob for this namespace; the
 * first write (or a restart at 0) copies the blob, or none of it, into an ingest of its own
 * first. Not thread-safe: one client stream drives it.
 */
public final class NamespacedWriter implements AutoCloseable {

    private final ContentService service;
    private final String ns;
    private final String lease;
    private final String storeRef;
    /** The blob this writer shares until its first change, else null. */
    private final ContentInfo shared;
    private final Instant openedAt = Instant.now();
    /** The store's writer; null while the writer shares {@link #shared}. */
    private ContentWriter writer;

    private NamespacedWriter(ContentService service, String ns, String lease, String storeRef, ContentWriter writer,
                             ContentInfo shared) {
        this.service = service;
        this.ns = ns;
        this.lease = lease;
        this.storeRef = storeRef;
        this.writer = writer;
        this.shared = shared;
    }

    NamespacedWriter(ContentService service, String ns, String lease, ContentWriter writer) {
        this(service, ns, lease, writer.status().ref(), writer, null);
    }

    /** A writer that shares {@code blob}, held by another namespace, until its first change. */
    static NamespacedWriter sharing(ContentService service, String ns, String lease, String storeRef, ContentInfo blob) {
        return new NamespacedWriter(service, ns, lease, storeRef, null, blob);
    }

    /** The ingest's status with the ref as the client named it. */
    public IngestStatus status() {
        String ref = storeRef.substring(ContentService.ingestRef(ns, "").length());
        if (writer == null) {
            return new IngestStatus(ref, shared.size(), shared.size(), shared.digest(), openedAt, openedAt);
        }
        IngestStatus s = writer.status();
        return new IngestStatus(ref, s.offset(), s.total(), s.expected(), s.startedAt(), s.updatedAt());
    }

    /** The digest of the bytes written so far. */
    public String digest() {
        return writer == null ? shared.digest() : writer.digest();
    }

    /**
     * Writes {@code data} at {@code offset}: appending at the current offset, restarting at 0,
     * anything else OUT_OF_RANGE (containerd's rule).
     */
    public void write(long offset, ByteBuffer data) throws IOException {
        long current = status().offset();
        if (offset == 0 && current > 0) {
            if (writer == null) {
                unshare(0);
            } else {
                writer.truncate(0);
            }
        } else if (offset != current) {
            throw JctrException.outOfRange("write @%d must occur at current offset %d", offset, current);
        }
        if (!data.hasRemaining()) {
            return;
        }
        if (writer == null) {
            unshare(shared.size());
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
                if (writer != null) {
                    writer.close();
                    service.discardIngest(storeRef);
                }
                throw JctrException.alreadyExists("content %s", expected);
            }
        }
        if (writer == null) {
            return commitShared(size, expected, labels);
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
        String digest = expected.isEmpty() ? digest() : expected; // the writer is closed after a commit
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
        if (writer != null) {
            writer.close();
        }
    }

    /** A commit of an unchanged shared blob: checked as containerd checks it, then recorded. */
    private ContentInfo commitShared(long size, String expected, Map<String, String> labels) {
        String ref = status().ref();
        if (size > 0 && size != shared.size()) {
            throw JctrException.failedPrecondition("\"%s\" failed size validation: %d != %d", ref, shared.size(), size);
        }
        if (!expected.isEmpty() && !expected.equals(shared.digest())) {
            throw JctrException.failedPrecondition("\"%s\" unexpected digest %s, the content has %s", ref, expected,
                    shared.digest());
        }
        service.recordCommitted(ns, lease, shared, labels);
        return shared;
    }

    /**
     * Gives this writer an ingest of its own holding the shared blob's first {@code length}
     * bytes (containerd's createAndCopy): what was under the ref before is discarded.
     */
    private void unshare(long length) throws IOException {
        ContentWriter own = service.openIngest(storeRef, 0, "");
        try {
            if (own.status().offset() > 0) {
                own.truncate(0);
            }
            if (length > 0) {
                try (ContentReader r = service.store().reader(shared.digest())) {
                    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                    for (long at = 0; at < length; ) {
                        buf.clear().limit((int) Math.min(buf.capacity(), length - at));
                        int n = r.read(buf, at);
                        if (n < 0) {
                            throw JctrException.failedPrecondition("content %s: ends after %d of %d bytes", shared.digest(), at, length);
                        }
                        buf.flip();
                        while (buf.hasRemaining()) {
                            own.write(buf);
                        }
                        at += n;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            own.close();
            throw e;
        }
        writer = own;
    }
}
