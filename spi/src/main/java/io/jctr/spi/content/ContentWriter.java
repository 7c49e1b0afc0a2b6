package io.jctr.spi.content;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Map;

/**
 * An open ingest: appends bytes to the partial blob of one ref while digesting them, and on
 * {@link #commit} verifies and publishes the blob under its digest (containerd's
 * {@code content.Writer}). Obtained from {@link ContentStore#writer}; while it is open it holds the
 * ref's lock, so no second writer for the same ref exists anywhere in the store.
 *
 * <p>Writes only append, at {@link IngestStatus#offset()}. containerd's "write at offset" API
 * maps onto this: a write at the current offset appends; a write at offset 0 to an ingest that has
 * data first calls {@code truncate(0)}; any other offset is rejected by the daemon with
 * {@code OUT_OF_RANGE} ({@code write @<n> must occur at current offset <m>}). A resumed ingest
 * starts at the offset its earlier writers reached.
 *
 * <p>Being a {@link WritableByteChannel}, a writer adapts to an {@link java.io.OutputStream} with
 * {@link java.nio.channels.Channels#newOutputStream}.
 *
 * <p>Thread-safety: none; use a writer from one thread at a time. The store itself stays usable
 * concurrently (other refs, {@link ContentStore#status} of this ref).
 */
public interface ContentWriter extends WritableByteChannel {

    /**
     * Appends every remaining byte of {@code src} to the ingest and to the running digest.
     *
     * @return the number of bytes written, always {@code src.remaining()} on entry
     * @throws java.nio.channels.ClosedChannelException when the writer was closed or committed
     * @throws IOException when the storage fails; the ingest's offset then is whatever
     *                     {@link #status()} reports
     */
    @Override
    int write(ByteBuffer src) throws IOException;

    /**
     * The digest, {@code sha256:<hex>}, of all bytes written so far, including those written by
     * earlier writers of a resumed ingest.
     *
     * @throws io.jctr.spi.JctrException {@code FAILED_PRECONDITION} when the writer is closed
     */
    String digest();

    /**
     * The ingest's progress; {@link IngestStatus#offset()} is where the next write lands.
     *
     * @throws io.jctr.spi.JctrException {@code FAILED_PRECONDITION} when the writer is closed
     */
    IngestStatus status();

    /**
     * Discards the data after {@code size} bytes and rewinds the digest to match. Every store
     * supports {@code size == 0} (restart the ingest); a store may refuse other sizes.
     *
     * @throws io.jctr.spi.JctrException {@code OUT_OF_RANGE} when {@code size} is negative or past
     *                                   the current offset; {@code NOT_IMPLEMENTED} when the store
     *                                   cannot rewind to a non-zero size; {@code FAILED_PRECONDITION}
     *                                   when the writer is closed
     * @throws IOException               when the storage fails
     */
    void truncate(long size) throws IOException;

    /**
     * Verifies the ingest and publishes it as a blob, then removes the ingest. Verification happens
     * before anything becomes visible: on a mismatch nothing is stored and the ingest's data stays
     * as it was (a new writer can resume it, or {@link ContentStore#abort} discards it).
     *
     * <p>The writer is closed when this returns or throws, whatever the outcome, and the ref's
     * lock is released.
     *
     * @param size           the expected size, or 0 (or less) when not checked
     * @param expectedDigest the expected digest, or {@code null}/{@code ""} when not checked
     * @param labels         labels of the new blob; {@code null} means none
     * @return the committed blob's info
     * @throws io.jctr.spi.JctrException {@code FAILED_PRECONDITION} when the size written differs
     *                                   from {@code size}, when the digest differs from
     *                                   {@code expectedDigest}, or when the writer is already
     *                                   closed; {@code ALREADY_EXISTS} when a blob with this
     *                                   digest is already committed (the ingest is then removed,
     *                                   as in containerd); {@code INVALID_ARGUMENT} when
     *                                   {@code expectedDigest} is malformed
     * @throws IOException               when the storage fails; the blob is then either fully
     *                                   committed or absent, never partial
     */
    ContentInfo commit(long size, String expectedDigest, Map<String, String> labels) throws IOException;

    /**
     * Closes the writer without committing: the data written so far stays in the ingest, to be
     * resumed by a later {@link ContentStore#writer} with the same ref or discarded with
     * {@link ContentStore#abort}. Releases the ref's lock. Idempotent; a no-op after
     * {@link #commit}.
     *
     * @throws IOException when flushing the data fails; the lock is released nevertheless
     */
    @Override
    void close() throws IOException;
}
