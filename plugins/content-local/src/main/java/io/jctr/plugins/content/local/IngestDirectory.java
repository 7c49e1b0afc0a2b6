package io.jctr.plugins.content.local;

import io.jctr.spi.content.IngestStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One ingest on disk, {@code ingest/<sha256 of ref>/}: {@code data} (the bytes so far),
 * {@code ref}, {@code startedat}, {@code updatedat}, {@code total}, {@code expected} and the
 * writers' {@code lock} file.
 *
 * <p>The {@code ref} file is written last when an ingest is created: an ingest whose {@code ref}
 * does not hold its ref, or that has no {@code data}, is not an ingest (a crash interrupted its
 * creation) and is created afresh by the next writer. Small files are replaced by rename, so a
 * reader sees whole values. Only the holder of the ref's lock changes an ingest.
 */
final class IngestDirectory {

    private final Path path;
    private final String ref;

    IngestDirectory(Path path, String ref) {
        this.path = path;
        this.ref = ref;
    }

    /** The ingest in {@code dir} under the ref it records, or empty when it records none. */
    static Optional<IngestDirectory> recordedIn(Path dir) throws IOException {
        try {
            return Optional.of(new IngestDirectory(dir, new String(Files.readAllBytes(dir.resolve("ref")), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    Path path() {
        return path;
    }

    String ref() {
        return ref;
    }

    Path data() {
        return path.resolve("data");
    }

    Path lockFile() {
        return path.resolve("lock");
    }

    /** The ingest's status as recorded on disk, or empty when there is no valid ingest here. */
    Optional<IngestStatus> read() throws IOException {
        Optional<String> recorded = readFile("ref");
        if (recorded.isEmpty() || !recorded.get().equals(ref)) {
            return Optional.empty();
        }
        BasicFileAttributes data;
        try {
            data = Files.readAttributes(data(), BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        // updatedat is written when a writer closes; the data's mtime is newer while one writes
        Instant modified = data.lastModifiedTime().toInstant();
        Instant started = readInstant("startedat").orElse(modified);
        Instant updated = readInstant("updatedat").filter(t -> t.isAfter(modified)).orElse(modified);
        return Optional.of(new IngestStatus(ref, data.size(), readTotal(), readExpected(), started, updated));
    }

    /** Starts the ingest afresh, discarding any earlier data; the caller holds the lock. */
    IngestStatus create(long total, String expected, Instant now) throws IOException {
        Files.deleteIfExists(path.resolve("ref"));
        Files.deleteIfExists(data());
        writeFile("startedat", now.toString());
        writeFile("updatedat", now.toString());
        writeFile("total", Long.toString(total));
        writeFile("expected", expected);
        writeFile("ref", ref);
        Files.write(data(), new byte[0]);
        DurableFiles.syncDirectory(path);
        DurableFiles.syncDirectory(path.getParent());
        return new IngestStatus(ref, 0, total, expected, now, now);
    }

    /**
     * Adopts {@code found} for a resuming writer that hashed {@code offset} bytes of it, recording
     * a total or expected digest the ingest did not know yet.
     */
    IngestStatus resume(IngestStatus found, long offset, long total, String expected) throws IOException {
        long t = found.total();
        if (t == 0 && total > 0) {
            writeFile("total", Long.toString(total));
            t = total;
        }
        String e = found.expected();
        if (!expected.isEmpty() && !expected.equals(e)) {
            writeFile("expected", expected);
            e = expected;
        }
        return new IngestStatus(ref, offset, t, e, found.startedAt(), found.updatedAt());
    }

    void writeUpdatedAt(Instant when) throws IOException {
        writeFile("updatedat", when.toString());
    }

    /**
     * How many names the data file has. More than one means a crash came between publishing it as
     * a blob (a hard link) and removing the ingest: the data is a blob now and must not change.
     */
    int dataLinks() throws IOException {
        try {
            return ((Number) Files.getAttribute(data(), "unix:nlink")).intValue();
        } catch (UnsupportedOperationException e) {
            return 1;
        }
    }

    /** Feeds the first {@code limit} bytes of the data to {@code digester}; returns how many there were. */
    long hashData(MessageDigest digester, long limit) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        long done = 0;
        try (FileChannel ch = FileChannel.open(data(), StandardOpenOption.READ)) {
            while (done < limit) {
                buf.clear().limit((int) Math.min(buf.capacity(), limit - done));
                int n = ch.read(buf, done);
                if (n < 0) {
                    break;
                }
                digester.update(buf.array(), 0, n);
                done += n;
            }
        }
        return done;
    }

    /** Removes the whole ingest at once; {@code trash} is a free name on the same file system. */
    void remove(Path trash) throws IOException {
        DurableFiles.removeTree(path, trash);
    }

    private long readTotal() throws IOException {
        try {
            return Math.max(0, Long.parseLong(readFile("total").orElse("0")));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String readExpected() throws IOException {
        String e = readFile("expected").orElse("");
        try {
            return Sha256.optional(e);
        } catch (RuntimeException malformed) {
            return "";
        }
    }

    private Optional<Instant> readInstant(String name) throws IOException {
        try {
            return readFile(name).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Optional<String> readFile(String name) throws IOException {
        try {
            return Optional.of(new String(Files.readAllBytes(path.resolve(name)), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private void writeFile(String name, String value) throws IOException {
        Path temp = path.resolve(name + ".tmp");
        Files.deleteIfExists(temp); // left by a crash
        DurableFiles.replace(path.resolve(name), value.getBytes(StandardCharsets.UTF_8), temp, false);
    }
}
