package io.jctr.plugins.snapshots.nativefs;

import io.jctr.plugins.snapshots.store.Fsync;
import io.jctr.plugins.snapshots.store.Layout;
import io.jctr.spi.snapshots.Mount;
import io.jctr.spi.snapshots.SnapshotKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * {@code snapshots/<id>/} is a snapshot's complete tree: a new snapshot starts as a full copy of
 * its parent's. Every snapshot is shown by one bind mount of its directory.
 */
final class NativeLayout implements Layout {

    private final Path snapshots;
    private final Posix posix;
    private final TreeCopier copier;

    NativeLayout(Path snapshots, Posix posix) {
        this.snapshots = snapshots;
        this.posix = posix;
        this.copier = new TreeCopier(posix);
    }

    @Override
    public Path dir(long id) {
        return snapshots.resolve(Long.toString(id));
    }

    @Override
    public Path contentDir(long id) {
        return dir(id);
    }

    @Override
    public void create(long id, SnapshotKind kind, List<Long> parents) throws IOException {
        if (parents.isEmpty()) {
            Files.setPosixFilePermissions(Files.createDirectory(dir(id)), PosixFilePermissions.fromString("rwxr-xr-x"));
            Fsync.directory(snapshots);
            return;
        }
        copier.copy(dir(parents.get(0)), dir(id));
        // The record that makes the copy a snapshot comes next; the copy must be on disk before it.
        posix.syncfs(dir(id));
    }

    @Override
    public void sync(long id) throws IOException {
        posix.syncfs(dir(id));
    }

    @Override
    public List<Mount> mounts(long id, SnapshotKind kind, List<Long> parents) {
        return List.of(new Mount("bind", dir(id).toString(), List.of("rbind", kind == SnapshotKind.VIEW ? "ro" : "rw")));
    }
}
