package io.jctr.core.archive;

import io.jctr.core.content.ContentService;
import io.jctr.spi.content.ContentReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an archive into a temporary file next to its destination and renames it into place only
 * when it is complete, so a failed export leaves no half archive (and no changed old one).
 * Entries get mode 0644 (directories 0755), owner 0 and modification time 0, so exporting the
 * same images twice gives the same bytes. Not thread-safe.
 */
final class TarWriter implements AutoCloseable {

    private static final int CHUNK = 1024 * 1024;

    private final Path destination;
    private final Path temp;
    private final TarArchiveOutputStream tar;
    private final Set<String> written = new HashSet<>();
    private boolean done;

    TarWriter(Path destination) throws IOException {
        this.destination = destination;
        this.temp = destination.resolveSibling("." + destination.getFileName() + ".tmp-" + UUID.randomUUID());
        OutputStream out = Files.newOutputStream(temp);
        this.tar = new TarArchiveOutputStream(new java.io.BufferedOutputStream(out, CHUNK));
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    void directory(String name) throws IOException {
        if (written.add(name)) {
            TarArchiveEntry e = new TarArchiveEntry(name + "/");
            e.setMode(040755);
            e.setModTime(0);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        }
    }

    void file(String name, byte[] data) throws IOException {
        if (written.add(name)) {
            tar.putArchiveEntry(entry(name, data.length));
            tar.write(data);
            tar.closeArchiveEntry();
        }
    }

    /** Copies blob {@code digest} of {@code ns} into entry {@code name} (once per name). */
    void blob(String name, ContentService content, String ns, String digest) throws IOException {
        if (!written.add(name)) {
            return;
        }
        try (ContentReader r = content.reader(ns, digest)) {
            tar.putArchiveEntry(entry(name, r.size()));
            byte[] buf = new byte[CHUNK];
            long pos = 0;
            while (pos < r.size()) {
                int n = r.read(ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, r.size() - pos)), pos);
                if (n < 0) {
                    throw new IOException("blob " + digest + " ended at " + pos + " of " + r.size() + " bytes");
                }
                tar.write(buf, 0, n);
                pos += n;
            }
            tar.closeArchiveEntry();
        }
    }

    private static TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setSize(size);
        e.setModTime(0);
        return e;
    }

    /** Finishes the archive and moves it into place; returns its size. */
    long commit() throws IOException {
        tar.finish();
        tar.close();
        Files.move(temp, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        done = true;
        return Files.size(destination);
    }

    @Override
    public void close() throws IOException {
        if (!done) {
            try {
                tar.close();
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
