package io.jctr.plugins.snapshots.overlay;

import io.jctr.plugins.snapshots.store.Fsync;
import io.jctr.plugins.snapshots.store.Layout;
import io.jctr.spi.snapshots.Mount;
import io.jctr.spi.snapshots.SnapshotKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code snapshots/<id>/fs} holds a snapshot's own changes (the overlay upper directory of an
 * active snapshot, a lower directory once committed); {@code snapshots/<id>/work} is the overlay
 * work directory of an active snapshot. The mounts are containerd's: a bind mount when there is no
 * parent, an overlay otherwise, with the parents' {@code fs} directories as lower directories,
 * nearest first, always as absolute paths (see {@link OverlaySnapshotter} on deep chains).
 */
final class OverlayLayout implements Layout {

    private final Path snapshots;
    private final boolean indexOff;
    private final Posix posix;

    /**
     * @param indexOff whether to add {@code index=off}: where the kernel has the index feature
     *                 (on by a module parameter), a lower directory would otherwise be tied to the
     *                 first upper directory it was mounted with, and sharing layers breaks
     */
    OverlayLayout(Path snapshots, boolean indexOff, Posix posix) {
        this.snapshots = snapshots;
        this.indexOff = indexOff;
        this.posix = posix;
    }

    @Override
    public Path dir(long id) {
        return snapshots.resolve(Long.toString(id));
    }

    @Override
    public Path contentDir(long id) {
        return dir(id).resolve("fs");
    }

    private Path workDir(long id) {
        return dir(id).resolve("work");
    }

    @Override
    public void create(long id, SnapshotKind kind, List<Long> parents) throws IOException {
        Path dir = Files.createDirectory(dir(id));
        Path fs = Files.createDirectory(contentDir(id));
        Files.setPosixFilePermissions(fs, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (kind == SnapshotKind.ACTIVE) {
            Files.setPosixFilePermissions(Files.createDirectory(workDir(id)), PosixFilePermissions.fromString("rwx--x--x"));
        }
        if (!parents.isEmpty()) {
            takeRootAttributes(id, parents.get(0));
        }
        Fsync.directory(dir);
        Fsync.directory(snapshots);
    }

    /** An upper directory holds a layer's own changes whatever lies below, so any snapshot can be rebased. */
    @Override
    public boolean rebases() {
        return true;
    }

    @Override
    public void rebase(long id, long parentId) throws IOException {
        takeRootAttributes(id, parentId);
    }

    /** The root of an overlay shows the upper directory's owner and mode, so take the parent's. */
    private void takeRootAttributes(long id, long parentId) throws IOException {
        Path fs = contentDir(id);
        Path parentFs = contentDir(parentId);
        Map<String, Object> a = Files.readAttributes(parentFs, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(fs, "unix:uid", a.get("uid"));
        Files.setAttribute(fs, "unix:gid", a.get("gid"));
        Files.setAttribute(fs, "unix:mode", (Integer) a.get("mode") & 07777);
    }

    @Override
    public void sync(long id) throws IOException {
        posix.syncfs(contentDir(id));
    }

    @Override
    public List<Mount> mounts(long id, SnapshotKind kind, List<Long> parents) {
        if (parents.isEmpty()) {
            return List.of(bind(contentDir(id), kind == SnapshotKind.VIEW));
        }
        if (kind == SnapshotKind.VIEW && parents.size() == 1) {
            return List.of(bind(contentDir(parents.get(0)), true));
        }
        List<String> options = new ArrayList<>();
        if (indexOff) {
            options.add("index=off");
        }
        if (kind == SnapshotKind.ACTIVE) {
            options.add("workdir=" + workDir(id));
            options.add("upperdir=" + contentDir(id));
        }
        options.add("lowerdir=" + parents.stream().map(p -> contentDir(p).toString()).collect(Collectors.joining(":")));
        return List.of(new Mount("overlay", "overlay", options));
    }

    private static Mount bind(Path source, boolean readOnly) {
        return new Mount("bind", source.toString(), List.of("rbind", readOnly ? "ro" : "rw"));
    }
}
