package io.jctr.plugins.content.local;

import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentInfo;
import io.jctr.spi.content.ContentReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The committed blobs, {@code blobs/sha256/<hex>} (read-only files), and their metadata,
 * {@code meta/sha256/<hex>}. Digests reaching this class are validated by the caller.
 *
 * <p>Thread-safety: safe. Changes to one digest's blob and metadata (publish, update, delete) are
 * serialised by a lock stripe, so a label update never resurrects a deleted blob's metadata and a
 * losing commit never overwrites the winner's.
 */
final class Blobs {

    private static final System.Logger LOG = System.getLogger(Blobs.class.getName());
    private static final Set<PosixFilePermission> READ_ONLY = PosixFilePermissions.fromString("r--r--r--");

    private final StoreLayout layout;
    private final Object[] stripes = new Object[64];

    Blobs(StoreLayout layout) {
        this.layout = layout;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    boolean exists(String digest) {
        return Files.exists(layout.blob(Sha256.hex(digest)));
    }

    ContentInfo info(String digest) throws IOException {
        String hex = Sha256.hex(digest);
        BasicFileAttributes attrs = attributes(digest, hex);
        return metadata(hex, attrs).toInfo(digest, attrs.size());
    }

    ContentInfo update(String digest, LabelUpdate change, Map<String, String> requested) throws IOException {
        String hex = Sha256.hex(digest);
        synchronized (stripe(hex)) {
            BasicFileAttributes attrs = attributes(digest, hex);
            BlobMetadata current = metadata(hex, attrs);
            BlobMetadata next = current.withLabels(change.apply(current.labels(), requested), Instant.now());
            next.write(layout.meta(hex), layout.newTemp("meta-"));
            return next.toInfo(digest, attrs.size());
        }
    }

    void delete(String digest) throws IOException {
        String hex = Sha256.hex(digest);
        synchronized (stripe(hex)) {
            try {
                Files.delete(layout.blob(hex));
            } catch (NoSuchFileException e) {
                throw notFound(digest);
            }
            Files.deleteIfExists(layout.meta(hex));
        }
    }

    ContentReader reader(String digest) throws IOException {
        String hex = Sha256.hex(digest);
        try {
            return LocalContentReader.open(layout.blob(hex), digest);
        } catch (NoSuchFileException e) {
            throw notFound(digest);
        }
    }

    void walk(Predicate<ContentInfo> filter, Consumer<ContentInfo> consumer) throws IOException {
        try (DirectoryStream<Path> blobs = Files.newDirectoryStream(layout.blobsDir())) {
            for (Path blob : blobs) {
                String hex = blob.getFileName().toString();
                if (Sha256.isHex(hex)) {
                    Optional<ContentInfo> info = infoIfPresent(hex);
                    if (info.isPresent() && filter.test(info.get())) {
                        consumer.accept(info.get());
                    }
                }
            }
        }
    }

    /**
     * Publishes the verified {@code data} of {@code ingest} as the blob {@code digest}, then
     * removes the ingest. The blob appears in one step: a hard link, which unlike a rename never
     * replaces an existing blob, not even one another process committed a moment ago. Its
     * metadata is written aside first and renamed into place once the blob won.
     *
     * @throws JctrException ALREADY_EXISTS when the blob exists; the ingest is removed
     */
    ContentInfo publish(IngestDirectory ingest, String digest, long size, Map<String, String> labels) throws IOException {
        String hex = Sha256.hex(digest);
        Path blob = layout.blob(hex);
        synchronized (stripe(hex)) {
            if (Files.exists(blob)) {
                throw alreadyExists(ingest, digest);
            }
            Instant now = Instant.now();
            BlobMetadata meta = new BlobMetadata(now, now, labels);
            Path temp = layout.newTemp("meta-");
            DurableFiles.create(temp, meta.bytes(), true);
            try {
                Files.createLink(blob, ingest.data());
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(temp);
                throw alreadyExists(ingest, digest);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            finish(ingest, blob, digest, temp);
            return meta.toInfo(digest, size);
        }
    }

    /** Steps after the blob is visible: they cannot undo the commit, so they only log. */
    private void finish(IngestDirectory ingest, Path blob, String digest, Path meta) {
        try {
            Files.setPosixFilePermissions(blob, READ_ONLY);
            DurableFiles.syncDirectory(blob.getParent());
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot make blob " + digest + " read-only and durable", e);
        }
        try {
            DurableFiles.moveInto(meta, layout.meta(Sha256.hex(digest)), true);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot record the labels and times of blob " + digest, e);
        }
        try {
            ingest.remove(layout.newTemp(StoreLayout.TRASH));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot remove ingest " + ingest.path() + " of committed blob " + digest, e);
        }
    }

    private JctrException alreadyExists(IngestDirectory ingest, String digest) throws IOException {
        ingest.remove(layout.newTemp(StoreLayout.TRASH));
        return JctrException.alreadyExists("content %s", digest);
    }

    private Optional<ContentInfo> infoIfPresent(String hex) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(layout.blob(hex), BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted during the walk
        }
        return Optional.of(metadata(hex, attrs).toInfo(Sha256.PREFIX + hex, attrs.size()));
    }

    private BasicFileAttributes attributes(String digest, String hex) throws IOException {
        try {
            return Files.readAttributes(layout.blob(hex), BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw notFound(digest);
        }
    }

    private BlobMetadata metadata(String hex, BasicFileAttributes attrs) throws IOException {
        return BlobMetadata.read(layout.meta(hex)).orElseGet(() -> BlobMetadata.ofFileTime(attrs.lastModifiedTime().toInstant()));
    }

    private Object stripe(String hex) {
        return stripes[Integer.parseInt(hex.substring(0, 2), 16) % stripes.length];
    }

    private static JctrException notFound(String digest) {
        return JctrException.notFound("content %s", digest);
    }
}
