package io.jctr.plugins.snapshots.store;

import io.jctr.spi.JctrException;
import io.jctr.spi.snapshots.Mount;
import io.jctr.spi.snapshots.SnapshotInfo;
import io.jctr.spi.snapshots.SnapshotKind;
import io.jctr.spi.snapshots.Snapshotter;
import io.jctr.spi.snapshots.Usage;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The life cycle of snapshots kept as {@code <root>/snapshots/<id>/} directories laid out by a
 * {@link Layout}, with one record file per snapshot under {@code <root>/metadata/} (see
 * {@link RecordFiles}) and a {@link SnapshotIndex} rebuilt from them at start. Ids only grow; at
 * start the next id is above every record and every directory, so an orphaned directory is never
 * reused before {@link #cleanup} deletes it.
 *
 * <p>Crash safety comes from the order of the disk steps, one atomic step per operation:
 * <ul>
 *   <li>create: directory (made durable by the layout), then record; a crash in between leaves an
 *       orphaned directory and no snapshot;</li>
 *   <li>commit: usage measured and the filesystem synced, then the active snapshot's record
 *       replaced by the committed one in one rename (same id, same directory): either exists after
 *       a crash, never both, never neither;</li>
 *   <li>update: the record replaced in one rename;</li>
 *   <li>remove: record unlinked, then directory deleted; a crash in between leaves an orphaned
 *       directory.</li>
 * </ul>
 */
public class SnapshotStore implements Snapshotter {

    private static final System.Logger LOG = System.getLogger(SnapshotStore.class.getName());
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");

    private final Path snapshotsDir;
    private final Layout layout;
    private final RecordFiles records;
    private final SnapshotIndex index;

    public SnapshotStore(Path root, Layout layout) throws IOException {
        // Only root may look into layers: they hold images' secrets and setuid binaries.
        FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(root, ownerOnly);
        this.snapshotsDir = Files.createDirectories(root.resolve("snapshots"), ownerOnly);
        this.layout = layout;
        this.records = new RecordFiles(Files.createDirectories(root.resolve("metadata"), ownerOnly));
        long highestDirectory = 0;
        for (String name : directoryNames()) {
            if (ID.matcher(name).matches()) {
                highestDirectory = Math.max(highestDirectory, Long.parseLong(name));
            }
        }
        this.index = new SnapshotIndex(records.load(), highestDirectory);
    }

    @Override
    public SnapshotInfo stat(String key) {
        return index.get(key).info();
    }

    @Override
    public SnapshotInfo update(SnapshotInfo info, Set<String> fieldpaths) throws IOException {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(fieldpaths, "fieldpaths");
        String key = info.name();
        SnapshotRecord current = index.beginUpdate(key);
        SnapshotRecord updated = null;
        try {
            Map<String, String> labels = LabelUpdate.apply(key, current.labels(), info.labels(), fieldpaths);
            SnapshotRecord changed = current.withLabels(labels, Instant.now());
            records.write(changed);
            updated = changed;
        } finally {
            index.end(updated != null, key, updated, key, key);
        }
        return updated.info();
    }

    @Override
    public Usage usage(String key) throws IOException {
        SnapshotRecord r = index.get(key);
        return r.kind() == SnapshotKind.COMMITTED ? r.usage() : DiskUsage.of(layout.contentDir(r.id()));
    }

    @Override
    public List<Mount> mounts(String key) {
        SnapshotRecord r = index.get(key);
        if (r.kind() == SnapshotKind.COMMITTED) {
            throw JctrException.failedPrecondition("snapshot \"%s\" is committed; only active and view snapshots are mounted", key);
        }
        return layout.mounts(r.id(), r.kind(), index.parentIds(r));
    }

    @Override
    public List<Mount> prepare(String key, String parent, Map<String, String> labels) throws IOException {
        return create(SnapshotKind.ACTIVE, key, parent, labels);
    }

    @Override
    public List<Mount> view(String key, String parent, Map<String, String> labels) throws IOException {
        return create(SnapshotKind.VIEW, key, parent, labels);
    }

    private List<Mount> create(SnapshotKind kind, String key, String parentKey, Map<String, String> labels)
            throws IOException {
        if (key == null || key.isEmpty()) {
            throw JctrException.invalidArgument("snapshot key must not be empty");
        }
        String parent = parentKey == null ? "" : parentKey;
        SnapshotIndex.NewSnapshot created = index.beginCreate(key, parent);
        long id = created.id();
        SnapshotRecord recorded = null;
        try {
            layout.create(id, kind, created.parents());
            Instant now = Instant.now();
            SnapshotRecord r = new SnapshotRecord(id, kind, key, parent, labels, now, now, new Usage(0, 0));
            records.write(r);
            recorded = r;
        } finally {
            if (recorded == null) {
                deleteQuietly(layout.dir(id));
            }
            index.endCreate(key, parent, id, recorded);
        }
        return layout.mounts(id, kind, created.parents());
    }

    @Override
    public void commit(String name, String key, Map<String, String> labels) throws IOException {
        commit(name, key, "", labels);
    }

    @Override
    public boolean canRebase() {
        return layout.rebases();
    }

    @Override
    public void commit(String name, String key, String parent, Map<String, String> labels) throws IOException {
        if (parent == null) {
            parent = "";
        }
        if (!parent.isEmpty() && !layout.rebases()) {
            Snapshotter.super.commit(name, key, parent, labels); // NOT_IMPLEMENTED
            return;
        }
        if (name == null || name.isEmpty()) {
            throw JctrException.invalidArgument("name to commit snapshot \"%s\" as must not be empty", key);
        }
        SnapshotIndex.Commit commit = index.beginCommit(key, name, parent);
        SnapshotRecord active = commit.active();
        SnapshotRecord committed = null;
        try {
            if (!parent.isEmpty()) {
                layout.rebase(active.id(), commit.parentId());
            }
            Usage usage = DiskUsage.of(layout.contentDir(active.id()));
            layout.sync(active.id());
            SnapshotRecord r = active.committed(parent, name, labels, Instant.now(), usage);
            records.write(r);
            committed = r;
        } finally {
            index.endCommit(committed != null, key, committed, name, parent);
        }
    }

    @Override
    public void remove(String key) throws IOException {
        SnapshotRecord r = index.beginRemove(key);
        boolean removed = false;
        try {
            records.delete(r.id());
            removed = true;
        } finally {
            index.end(removed, key, null, key, key);
        }
        // The snapshot is gone once its record is; a directory left behind is cleanup's business.
        deleteQuietly(layout.dir(r.id()));
    }

    @Override
    public void walk(Predicate<SnapshotInfo> filter, Consumer<SnapshotInfo> consumer) {
        for (SnapshotRecord r : index.all()) {
            SnapshotInfo info = r.info();
            if (filter.test(info)) {
                consumer.accept(info);
            }
        }
    }

    /** Deletes every directory under {@code snapshots/} that belongs to no snapshot. */
    @Override
    public void cleanup() throws IOException {
        SnapshotIndex.LiveIds live = index.liveIds();
        IOException failure = null;
        for (String name : directoryNames()) {
            if (ID.matcher(name).matches()) {
                long id = Long.parseLong(name);
                if (live.ids().contains(id) || id >= live.firstUnallocated()) {
                    continue;
                }
            }
            try {
                TreeDeleter.delete(snapshotsDir.resolve(name));
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private List<String> directoryNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(snapshotsDir)) {
            entries.forEach(e -> names.add(e.getFileName().toString()));
        }
        return names;
    }

    private static void deleteQuietly(Path dir) {
        try {
            TreeDeleter.delete(dir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete " + dir + "; cleanup will retry", e);
        }
    }
}
