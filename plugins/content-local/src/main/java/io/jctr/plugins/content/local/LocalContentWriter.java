package io.jctr.plugins.content.local;

import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentInfo;
import io.jctr.spi.content.ContentWriter;
import io.jctr.spi.content.IngestStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;

/**
 * An open ingest: bytes go to the ingest's {@code data} file and through a SHA-256 digester at
 * once, so commit knows the digest without reading the data again. Holds the ref's
 * {@link IngestLock} until closed or committed. Not thread-safe, as the contract allows.
 */
final class LocalContentWriter implements ContentWriter {

    private final IngestDirectory ingest;
    private final IngestLock lock;
    private final Blobs blobs;
    private final MessageDigest digester;
    private final long total;
    private final String expected;
    private final Instant startedAt;
    private FileChannel data;
    private long offset;
    private Instant updatedAt;

    private LocalContentWriter(IngestDirectory ingest, IngestLock lock, Blobs blobs, MessageDigest digester,
                               IngestStatus status, FileChannel data) {
        this.ingest = ingest;
        this.lock = lock;
        this.blobs = blobs;
        this.digester = digester;
        this.total = status.total();
        this.expected = status.expected();
        this.startedAt = status.startedAt();
        this.updatedAt = status.updatedAt();
        this.offset = status.offset();
        this.data = data;
    }

    /**
     * Resumes the ingest, hashing its data once, or creates it afresh: when there is none, when
     * {@code total} contradicts the total it recorded, or when its data already became a blob.
     * The caller holds {@code lock}, which the writer now owns.
     */
    static LocalContentWriter open(IngestDirectory ingest, IngestLock lock, Blobs blobs, long total, String expected)
            throws IOException {
        MessageDigest digester = Sha256.newDigester();
        IngestStatus found = ingest.read().orElse(null);
        IngestStatus status;
        if (found != null && !(total > 0 && found.total() > 0 && total != found.total()) && ingest.dataLinks() == 1) {
            long hashed = ingest.hashData(digester, Long.MAX_VALUE);
            status = ingest.resume(found, hashed, total, expected);
        } else {
            status = ingest.create(total, expected, Instant.now());
        }
        FileChannel ch = FileChannel.open(ingest.data(), StandardOpenOption.WRITE);
        try {
            ch.position(status.offset());
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new LocalContentWriter(ingest, lock, blobs, digester, status, ch);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (data == null) {
            throw new ClosedChannelException();
        }
        int start = src.position();
        ByteBuffer written = src.duplicate();
        try {
            while (src.hasRemaining()) {
                data.write(src);
            }
        } finally {
            // digest exactly what reached the file, so digest and offset agree even after a failure
            written.limit(src.position());
            digester.update(written);
            offset += src.position() - start;
            updatedAt = Instant.now();
        }
        return src.position() - start;
    }

    @Override
    public boolean isOpen() {
        return data != null;
    }

    @Override
    public String digest() {
        requireOpen();
        return Sha256.current(digester);
    }

    @Override
    public IngestStatus status() {
        requireOpen();
        return new IngestStatus(ingest.ref(), offset, total, expected, startedAt, updatedAt);
    }

    /** Any size from 0 to the offset: the kept prefix is hashed again. */
    @Override
    public void truncate(long size) throws IOException {
        requireOpen();
        if (size < 0 || size > offset) {
            throw JctrException.outOfRange("truncate ingest %s to %d: want 0 to %d", ingest.ref(), size, offset);
        }
        data.truncate(size);
        data.position(size);
        digester.reset();
        if (size > 0) {
            ingest.hashData(digester, size);
        }
        offset = size;
        updatedAt = Instant.now();
    }

    @Override
    public ContentInfo commit(long size, String expectedDigest, Map<String, String> labels) throws IOException {
        requireOpen();
        FileChannel ch = data;
        data = null;
        ContentInfo info;
        try {
            String want = Sha256.optional(expectedDigest);
            ch.force(true);
            ch.close();
            if (size > 0 && size != offset) {
                throw JctrException.failedPrecondition("unexpected commit size %d of ingest %s, expected %d", offset, ingest.ref(), size);
            }
            String got = Sha256.current(digester);
            if (!want.isEmpty() && !want.equals(got)) {
                throw JctrException.failedPrecondition("unexpected commit digest %s of ingest %s, expected %s", got, ingest.ref(), want);
            }
            info = blobs.publish(ingest, got, offset, labels == null ? Map.of() : labels);
        } catch (Throwable failure) {
            try {
                release(ch);
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
        lock.close();
        return info;
    }

    @Override
    public void close() throws IOException {
        if (data != null) {
            FileChannel ch = data;
            data = null;
            release(ch);
        }
    }

    /**
     * Leaves the ingest resumable and unlocked: syncs and closes its data, records when it was
     * last written (unless a commit removed it), and releases the lock whatever fails.
     */
    private void release(FileChannel ch) throws IOException {
        try {
            try {
                if (ch.isOpen()) {
                    ch.force(true);
                }
            } finally {
                ch.close();
            }
            if (Files.isDirectory(ingest.path())) {
                ingest.writeUpdatedAt(updatedAt);
            }
        } finally {
            lock.close();
        }
    }

    private void requireOpen() {
        if (data == null) {
            throw JctrException.failedPrecondition("writer of ingest %s is closed", ingest.ref());
        }
    }
}
