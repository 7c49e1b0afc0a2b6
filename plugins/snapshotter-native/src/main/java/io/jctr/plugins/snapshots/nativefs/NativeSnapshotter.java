package io.jctr.plugins.snapshots.nativefs;

import io.jctr.plugins.snapshots.store.SnapshotStore;
import io.jctr.spi.snapshots.Snapshotter;
import io.jctr.spi.snapshots.Usage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Copy-based snapshots that work on any filesystem, after containerd's {@code native} snapshotter.
 * Usable on its own; {@link NativeSnapshotterPlugin} only wires it into the registry.
 *
 * <p>On disk, under the root: {@code metadata/<id>.snap}, one record per snapshot (key, kind,
 * parent, labels, times, usage at commit), and {@code snapshots/<id>/}, the snapshot's complete
 * tree. Ids are internal numbers; keys never become file names.
 *
 * <p>{@code prepare} and {@code view} copy the parent's tree (see {@link TreeCopier} for what is
 * kept) and flush the filesystem (syncfs) before recording the snapshot, so they take time
 * proportional to the parent's size. The mounts are one bind mount of the snapshot's directory,
 * options {@code rbind} and {@code rw}, or {@code ro} for a view; a runtime must remount a
 * read-only bind to make it read-only, as for any bind mount. Usage of an active or view snapshot
 * is measured by walking its tree, which includes what was copied from the parent (it is this
 * snapshot's disk space); a committed snapshot's was measured at commit. Commit flushes the
 * filesystem before recording the snapshot committed. Remove deletes the directory at once;
 * {@link #cleanup} deletes directories that no record owns (left by a crash).
 *
 * <p>Thread-safe; see {@link Snapshotter} for the guarantees. Copying needs root only where the
 * tree holds what only root may create: other users' files, devices.
 */
public final class NativeSnapshotter extends SnapshotStore {

    /**
     * Opens the snapshotter at {@code root}, creating the directory if needed and reading the
     * records found there.
     *
     * @throws IOException when the root cannot be created or a record cannot be read
     */
    public NativeSnapshotter(Path root) throws IOException {
        super(root.toAbsolutePath().normalize(),
                new NativeLayout(root.toAbsolutePath().normalize().resolve("snapshots"), Posix.system()));
    }
}
