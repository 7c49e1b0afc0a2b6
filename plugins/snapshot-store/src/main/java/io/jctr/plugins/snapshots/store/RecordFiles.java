package io.jctr.plugins.snapshots.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The record files under {@code <root>/metadata}: one file {@code <id>.snap} per snapshot. Each
 * change of a snapshot is one atomic step on one file — a rename over it (create, commit, label
 * update) or its unlink (remove) — so a crash leaves every record either as it was or as it was
 * meant to become. A write goes to {@code <id>.snap.tmp}, is fsync'd, renamed over the record and
 * the directory fsync'd; {@link #load} deletes stray temporaries, the traces of interrupted writes
 * whose records are intact.
 *
 * <p>Not thread-safe for one id; the caller serialises the writers of each id.
 */
public final class RecordFiles {

    private static final System.Logger LOG = System.getLogger(RecordFiles.class.getName());
    private static final Pattern RECORD = Pattern.compile("([0-9]{1,18})\\.snap");
    private static final String TEMPORARY = ".tmp";

    private final Path dir;

    RecordFiles(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    /** Reads every record, deleting the temporaries of interrupted writes. */
    List<SnapshotRecord> load() throws IOException {
        List<SnapshotRecord> records = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                Matcher m = RECORD.matcher(name);
                if (m.matches()) {
                    records.add(SnapshotRecord.decode(Long.parseLong(m.group(1)), Files.readAllBytes(entry)));
                } else if (name.endsWith(TEMPORARY)) {
                    Files.deleteIfExists(entry);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "ignoring unknown file {0} among snapshot records", entry);
                }
            }
        }
        return records;
    }

    /** Creates or atomically replaces the record of {@code record.id()}. */
    void write(SnapshotRecord record) throws IOException {
        Path target = path(record.id());
        Path tmp = dir.resolve(target.getFileName() + TEMPORARY);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(record.encode());
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncDirectory();
    }

    /** Deletes the record of {@code id}. */
    void delete(long id) throws IOException {
        Files.delete(path(id));
        syncDirectory();
    }

    private Path path(long id) {
        return dir.resolve(id + ".snap");
    }

    private void syncDirectory() {
        // The rename or unlink has happened and every reader sees it; failing the operation now would
        // make the caller undo what the disk already shows. Say loudly that durability is in doubt.
        try {
            Fsync.directory(dir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "fsync of " + dir + " failed; the last snapshot change may not survive a power loss", e);
        }
    }
}
