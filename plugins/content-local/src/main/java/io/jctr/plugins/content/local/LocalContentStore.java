package io.jctr.plugins.content.local;

import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentInfo;
import io.jctr.spi.content.ContentReader;
import io.jctr.spi.content.ContentStore;
import io.jctr.spi.content.ContentWriter;
import io.jctr.spi.content.IngestStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A {@link ContentStore} in a directory of the local file system, with containerd's local store
 * semantics. Usable on its own; {@link LocalContentPlugin} only wires it into the daemon.
 *
 * <p>Layout under the root:
 * <pre>
 * blobs/sha256/&lt;hex&gt;      committed blobs, read-only (0444), published by an atomic hard link
 * meta/sha256/&lt;hex&gt;       each blob's creation and update times and labels (text)
 * ingest/&lt;sha256(ref)&gt;/    one resumable ingest: data, ref, startedat, updatedat, total,
 *                          expected, lock
 * tmp/                     temporary files and removed ingests on their way out; cleared on
 *                          start (removed ingests at once, other leftovers once stale)
 * </pre>
 *
 * <p>Crash safety: a blob is visible only once its data was verified and synced; it appears in
 * one step, so a crash never leaves a partial blob. An ingest survives restarts: a new writer
 * with its ref resumes it after hashing its data once.
 *
 * <p>Writers for one ref exclude each other within this store and, through a lock file in the
 * ingest, across processes and store instances sharing the root.
 *
 * <p>Thread-safety: all methods may be called concurrently.
 */
public final class LocalContentStore implements ContentStore {

    private final Path root;
    private final Blobs blobs;
    private final Ingests ingests;

    /**
     * Opens the store in {@code root}, creating its directories (and {@code root}) as needed.
     *
     * @throws IOException when the directories cannot be created
     */
    public LocalContentStore(Path root) throws IOException {
        this.root = Objects.requireNonNull(root, "root");
        StoreLayout layout = StoreLayout.open(root);
        this.blobs = new Blobs(layout);
        this.ingests = new Ingests(layout, blobs);
    }

    /** The directory this store lives in. */
    public Path root() {
        return root;
    }

    @Override
    public ContentInfo info(String digest) throws IOException {
        return blobs.info(digest);
    }

    @Override
    public ContentInfo update(ContentInfo info, Set<String> fieldpaths) throws IOException {
        Sha256.hex(info.digest());
        LabelUpdate change = LabelUpdate.parse(info.digest(), fieldpaths);
        return blobs.update(info.digest(), change, info.labels());
    }

    @Override
    public void walk(Predicate<ContentInfo> filter, Consumer<ContentInfo> consumer) throws IOException {
        blobs.walk(filter, consumer);
    }

    @Override
    public void delete(String digest) throws IOException {
        blobs.delete(digest);
    }

    @Override
    public ContentReader reader(String digest) throws IOException {
        return blobs.reader(digest);
    }

    @Override
    public IngestStatus status(String ref) throws IOException {
        return ingests.status(requireRef(ref));
    }

    @Override
    public List<IngestStatus> listStatuses(Predicate<IngestStatus> filter) throws IOException {
        return ingests.list(filter);
    }

    @Override
    public void abort(String ref) throws IOException {
        ingests.abort(requireRef(ref));
    }

    @Override
    public ContentWriter writer(String ref, long expectedSize, String expectedDigest) throws IOException {
        return ingests.writer(requireRef(ref), Math.max(0, expectedSize), Sha256.optional(expectedDigest));
    }

    private static String requireRef(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw JctrException.invalidArgument("ingest ref must not be empty");
        }
        return ref;
    }
}
