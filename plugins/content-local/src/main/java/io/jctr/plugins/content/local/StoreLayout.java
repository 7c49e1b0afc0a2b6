package io.jctr.plugins.content.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Where a local content store keeps things under its root. Every name below the root is either
 * fixed or a hex digest, so neither a digest nor a ref can steer a path elsewhere.
 */
final class StoreLayout {

    static final String TRASH = "trash-";
    private static final Duration STALE = Duration.ofMinutes(10);

    private final Path blobs;
    private final Path meta;
    private final Path ingests;
    private final Path tmp;

    private StoreLayout(Path r) {
        this.blobs = r.resolve("blobs").resolve("sha256");
        this.meta = r.resolve("meta").resolve("sha256");
        this.ingests = r.resolve("ingest");
        this.tmp = r.resolve("tmp");
    }

    /**
     * Creates the directories under {@code root} and clears {@code tmp/} of what a crash left
     * there: removed ingests ({@code trash-*}) at once, other files once they are stale, as a
     * second daemon on this root may be writing one right now. Paths are canonical (symbolic links resolved), so every store on this root in this
     * JVM names an ingest the same way ({@link RefLocks} depends on it).
     */
    static StoreLayout open(Path root) throws IOException {
        Files.createDirectories(root);
        StoreLayout layout = new StoreLayout(root.toRealPath());
        for (Path dir : new Path[] {layout.blobs, layout.meta, layout.ingests, layout.tmp}) {
            Files.createDirectories(dir);
        }
        DurableFiles.deleteChildren(layout.tmp, TRASH, STALE);
        return layout;
    }

    Path blobsDir() {
        return blobs;
    }

    Path blob(String hex) {
        return blobs.resolve(hex);
    }

    Path meta(String hex) {
        return meta.resolve(hex);
    }

    Path ingestsDir() {
        return ingests;
    }

    IngestDirectory ingest(String ref) {
        return new IngestDirectory(ingests.resolve(Sha256.hexOf(ref)), ref);
    }

    /** A fresh name in {@code tmp/}, on the same file system as everything else. */
    Path newTemp(String prefix) {
        return tmp.resolve(prefix + UUID.randomUUID());
    }
}
