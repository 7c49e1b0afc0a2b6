package io.jctr.core.archive;

import io.jctr.core.content.ContentService;
import io.jctr.core.content.NamespacedWriter;
import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams blobs into the content store under an import's lease: one ingest per blob, verified on
 * commit when the digest is known in advance. A blob that fails verification is aborted, so
 * nothing of it stays. Not thread-safe.
 */
final class BlobSink {

    private static final int CHUNK = 1024 * 1024;
    private static final int HEAD = 4;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final ContentService content;
    private final String ns;
    private final String lease;
    private final String refPrefix;

    BlobSink(ContentService content, String ns, String lease) {
        this.content = content;
        this.ns = ns;
        this.lease = lease;
        this.refPrefix = "jctr-import-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + "-";
    }

    /**
     * Stores {@code size} bytes of {@code in}.
     *
     * @param what     names the blob in errors (an archive entry, a file)
     * @param expected the digest the bytes must have, or empty when it is computed
     * @throws JctrException INVALID_ARGUMENT when the bytes do not match {@code expected}
     */
    StoredBlob store(String what, InputStream in, long size, String expected) throws IOException {
        String ref = refPrefix + SEQUENCE.incrementAndGet();
        NamespacedWriter w;
        try {
            w = content.writer(ns, lease, ref, Math.max(size, 0), expected);
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.ALREADY_EXISTS) {
                throw e;
            }
            // already stored (the namespace now holds it): the archive's copy must still be what it claims
            return verifyOnly(what, in, expected);
        }
        boolean committed = false;
        try {
            byte[] head = copy(in, w);
            String written = w.digest(); // a failed commit closes the writer
            ContentInfo info;
            try {
                info = w.commitOrKeep(size, expected, Map.of());
            } catch (JctrException e) {
                if (e.kind() == JctrException.Kind.FAILED_PRECONDITION && !expected.isEmpty()) {
                    throw mismatch(what, written, expected);
                }
                throw e;
            }
            committed = true;
            return new StoredBlob(info.digest(), info.size(), head);
        } finally {
            if (!committed) {
                w.close();
                abortQuietly(ref);
            }
        }
    }

    private StoredBlob verifyOnly(String what, InputStream in, String expected) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] buf = new byte[CHUNK];
        byte[] head = new byte[0];
        int n;
        while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
            if (head.length < HEAD) {
                head = Arrays.copyOf(buf, Math.min(HEAD, n));
            }
            md.update(buf, 0, n);
        }
        String actual = "sha256:" + HexFormat.of().formatHex(md.digest());
        if (!actual.equals(expected)) {
            throw mismatch(what, actual, expected);
        }
        return new StoredBlob(expected, content.info(ns, expected).size(), head);
    }

    private static JctrException mismatch(String what, String actual, String expected) {
        return JctrException.invalidArgument("%s: content has digest %s, not %s", what, actual, expected);
    }

    /** Produces a blob's bytes into a stream. */
    interface Producer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Stores what {@code producer} writes, under the digest of those bytes. */
    StoredBlob store(String what, Producer producer) throws IOException {
        String ref = refPrefix + SEQUENCE.incrementAndGet();
        NamespacedWriter w = content.writer(ns, lease, ref, 0, "");
        boolean committed = false;
        try {
            producer.writeTo(new WriterStream(w));
            ContentInfo info = w.commitOrKeep(0, "", Map.of());
            committed = true;
            return new StoredBlob(info.digest(), info.size(), new byte[0]);
        } finally {
            if (!committed) {
                w.close();
                abortQuietly(ref);
            }
        }
    }

    /** Appends to an ingest; not closed by its users' close (the commit ends the ingest). */
    private static final class WriterStream extends OutputStream {
        private final NamespacedWriter w;
        private long offset;

        WriterStream(NamespacedWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            w.write(offset, ByteBuffer.wrap(b, off, len));
            offset += len;
        }
    }

    private static byte[] copy(InputStream in, NamespacedWriter w) throws IOException {
        byte[] buf = new byte[CHUNK];
        byte[] head = new byte[0];
        long offset = 0;
        int n;
        while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
            if (head.length < HEAD) {
                head = Arrays.copyOf(buf, Math.min(HEAD, n));
            }
            w.write(offset, ByteBuffer.wrap(buf, 0, n));
            offset += n;
        }
        return head;
    }

    private void abortQuietly(String ref) {
        try {
            content.abort(ns, ref);
        } catch (IOException | RuntimeException e) {
            // the ingest may never have been created; a leftover one belongs to the lease and is collected
        }
    }
}
