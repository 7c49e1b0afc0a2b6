package io.jctr.core.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds tar archives entry by entry, in the order given, hostile ones included. */
final class TestArchive {

    private record Entry(String name, byte[] data, String link, boolean symbolic) {
    }

    private final List<Entry> entries = new ArrayList<>();

    TestArchive file(String name, byte[] data) {
        entries.add(new Entry(name, data, null, false));
        return this;
    }

    TestArchive file(String name, String text) {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts {@code data} at {@code blobs/sha256/<its digest>} and returns the digest. */
    String blob(byte[] data) {
        String d = MemoryContentStore.sha256(data);
        file("blobs/sha256/" + d.substring(7), data);
        return d;
    }

    TestArchive symlink(String name, String target) {
        entries.add(new Entry(name, null, target, true));
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry t;
                if (e.link() != null) {
                    t = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK, true);
                    t.setLinkName(e.link());
                } else {
                    t = new TarArchiveEntry(e.name(), true);
                    t.setSize(e.data().length);
                }
                tar.putArchiveEntry(t);
                if (e.data() != null) {
                    tar.write(e.data());
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    Path write(Path file) throws IOException {
        return Files.write(file, bytes());
    }

    /** A minimal uncompressed layer: one file. */
    static byte[] layer(String name, String content) {
        return new TestArchive().file(name, content).bytes();
    }
}
