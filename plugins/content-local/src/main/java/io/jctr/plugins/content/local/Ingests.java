package io.jctr.plugins.content.local;

import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentWriter;
import io.jctr.spi.content.IngestStatus;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The ingests under {@code ingest/}: their status, their removal and the opening of writers, each
 * change made under the ref's {@link IngestLock}. Thread-safe.
 */
final class Ingests {

    private final StoreLayout layout;
    private final Blobs blobs;

    Ingests(StoreLayout layout, Blobs blobs) {
        this.layout = layout;
        this.blobs = blobs;
    }

    IngestStatus status(String ref) throws IOException {
        return layout.ingest(ref).read().orElseThrow(() -> notFound(ref));
    }

    List<IngestStatus> list(Predicate<IngestStatus> filter) throws IOException {
        List<IngestStatus> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.ingestsDir())) {
            for (Path dir : dirs) {
                Optional<IngestDirectory> ingest = Files.isDirectory(dir) ? IngestDirectory.recordedIn(dir) : Optional.empty();
                // an ingest committed or aborted during the listing reads as empty: skip it
                Optional<IngestStatus> status = ingest.isPresent() ? ingest.get().read() : Optional.empty();
                if (status.isPresent() && filter.test(status.get())) {
                    out.add(status.get());
                }
            }
        }
        return out;
    }

    void abort(String ref) throws IOException {
        IngestDirectory ingest = layout.ingest(ref);
        IngestLock lock = RefLocks.claim(ingest);
        try {
            if (!Files.isDirectory(ingest.path())) {
                throw notFound(ref);
            }
            lock.lockFile(ingest.lockFile());
            ingest.remove(layout.newTemp(StoreLayout.TRASH));
        } finally {
            lock.close();
        }
    }

    ContentWriter writer(String ref, long total, String expected) throws IOException {
        if (!expected.isEmpty() && blobs.exists(expected)) {
            throw JctrException.alreadyExists("content %s", expected);
        }
        IngestDirectory ingest = layout.ingest(ref);
        IngestLock lock = RefLocks.claim(ingest);
        try {
            Files.createDirectories(ingest.path());
            lock.lockFile(ingest.lockFile());
            return LocalContentWriter.open(ingest, lock, blobs, total, expected);
        } catch (Throwable failure) {
            try {
                lock.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
            throw failure;
        }
    }

    private static JctrException notFound(String ref) {
        return JctrException.notFound("ingest ref \"%s\"", ref);
    }
}
