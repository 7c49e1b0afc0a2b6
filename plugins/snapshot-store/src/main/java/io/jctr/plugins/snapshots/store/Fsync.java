package io.jctr.plugins.snapshots.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Flushes a directory's entries to disk, so a create, rename or unlink in it survives a power loss. */
public final class Fsync {

    private Fsync() {
    }

    public static void directory(Path dir) throws IOException {
        // Linux lets a directory be opened read-only and fsync'd; that is what makes a rename durable.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
