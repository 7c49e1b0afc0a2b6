package io.jctr.spi.content;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A content-addressed store of immutable blobs with resumable ingests: the contract of plugins of
 * type {@link io.jctr.spi.PluginType#CONTENT} (containerd's {@code content.Store}). See the package
 * documentation for digests, namespaces and the error model.
 *
 * <p>A blob becomes visible only through {@link ContentWriter#commit}, after its size and digest
 * were verified; it never changes afterwards, only its labels do. Ingests survive daemon restarts
 * and are resumed by opening a writer with the same ref.
 *
 * <p>Thread-safety: every method may be called concurrently from any thread. Two writers for the
 * same ref never coexist (see {@link #writer}); two writers with different refs that commit the
 * same digest store it once, the second gets {@code ALREADY_EXISTS}.
 */
public interface ContentStore {

    /**
     * The info of a committed blob.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no such blob is committed;
     *                                   {@code INVALID_ARGUMENT} when the digest is malformed
     * @throws IOException               when the storage fails
     */
    ContentInfo info(String digest) throws IOException;

    /**
     * Changes the labels of a committed blob, the only mutable part of its info; sets
     * {@code updatedAt}. The blob is {@code info.digest()}; its other fields are ignored.
     *
     * <p>Field paths, as in containerd: {@code labels} replaces all labels with
     * {@code info.labels()}; {@code labels.<key>} sets that one key to its value in
     * {@code info.labels()}, or removes the key when {@code info.labels()} lacks it. An empty set
     * means {@code labels}.
     *
     * @param fieldpaths the fields to change, never {@code null}
     * @return the blob's info after the change
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no such blob is committed;
     *                                   {@code INVALID_ARGUMENT} for any other field path or a
     *                                   malformed digest
     * @throws IOException               when the storage fails
     */
    ContentInfo update(ContentInfo info, Set<String> fieldpaths) throws IOException;

    /**
     * Calls {@code consumer} with the info of every committed blob that {@code filter} accepts, in
     * no particular order. Blobs committed or deleted during the walk may or may not be seen. The
     * consumer must not change the store (collect, then act); an exception it throws ends the walk
     * and propagates.
     *
     * @param filter   which blobs to visit; {@code info -> true} for all
     * @throws IOException when the storage fails
     */
    void walk(Predicate<ContentInfo> filter, Consumer<ContentInfo> consumer) throws IOException;

    /**
     * Removes a committed blob. Readers opened before may keep reading it or may fail; new
     * {@link #info} and {@link #reader} calls report {@code NOT_FOUND}.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no such blob is committed;
     *                                   {@code INVALID_ARGUMENT} when the digest is malformed
     * @throws IOException               when the storage fails
     */
    void delete(String digest) throws IOException;

    /**
     * Opens a committed blob for random-access reading. The caller closes the reader.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no such blob is committed;
     *                                   {@code INVALID_ARGUMENT} when the digest is malformed
     * @throws IOException               when the storage fails
     */
    ContentReader reader(String digest) throws IOException;

    /**
     * The progress of the ingest with this ref, whether or not a writer has it open.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no ingest has this ref
     * @throws IOException               when the storage fails
     */
    IngestStatus status(String ref) throws IOException;

    /**
     * The progress of every ingest that {@code filter} accepts, in no particular order.
     *
     * @param filter which ingests to list; {@code status -> true} for all
     * @throws IOException when the storage fails
     */
    List<IngestStatus> listStatuses(Predicate<IngestStatus> filter) throws IOException;

    /**
     * Discards an ingest and everything written to it.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no ingest has this ref;
     *                                   {@code UNAVAILABLE} when a writer has the ref open (close
     *                                   it first)
     * @throws IOException               when the storage fails
     */
    void abort(String ref) throws IOException;

    /**
     * Opens the ingest {@code ref} for writing: creates it, or resumes it at the offset earlier
     * writers reached. When {@code expectedSize} is positive and differs from the total recorded
     * by the existing ingest, the ingest restarts empty. Returns at once; never waits for a lock.
     *
     * @param ref            the ingest's name, chosen by the caller, never empty
     * @param expectedSize   the blob's expected size, recorded as the ingest's total; 0 (or less)
     *                       when unknown
     * @param expectedDigest the blob's expected digest, recorded in the status; {@code null} or
     *                       {@code ""} when unknown
     * @return the open writer; the caller commits or closes it
     * @throws io.jctr.spi.JctrException {@code INVALID_ARGUMENT} when the ref is empty or the
     *                                   digest malformed; {@code UNAVAILABLE} when another writer
     *                                   has the ref open ({@code ref <ref> locked: unavailable} —
     *                                   callers may retry with back-off, as containerd does);
     *                                   {@code ALREADY_EXISTS} when {@code expectedDigest} is
     *                                   already committed
     * @throws IOException               when the storage fails
     */
    ContentWriter writer(String ref, long expectedSize, String expectedDigest) throws IOException;
}
