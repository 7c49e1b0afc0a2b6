package io.jctr.plugins.snapshots.store;

import io.jctr.spi.snapshots.Mount;
import io.jctr.spi.snapshots.SnapshotKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * How one kind of snapshotter lays a snapshot out on disk and mounts it; {@link SnapshotStore} does
 * the bookkeeping around it. Snapshots are named by their numeric id here, never by key. Parents
 * are given nearest first.
 */
public interface Layout {

    /** The directory holding everything of snapshot {@code id}; deleted with it. */
    Path dir(long id);

    /** The directory with the snapshot's own content: walked for its usage. */
    Path contentDir(long id);

    /**
     * Creates {@link #dir} of a new snapshot; durable when this returns. On failure the caller
     * deletes whatever was created.
     */
    void create(long id, SnapshotKind kind, List<Long> parents) throws IOException;

    /** Makes the content of snapshot {@code id} durable; called before it is recorded committed. */
    void sync(long id) throws IOException;

    /**
     * Whether a snapshot's content is independent of its parents, so one made without a parent can
     * be given one at commit (see {@code Snapshotter.canRebase}). The default is false.
     */
    default boolean rebases() {
        return false;
    }

    /**
     * Prepares snapshot {@code id}, made without a parent, to be committed on {@code parentId}:
     * whatever {@link #create} would have taken from that parent. Called only when {@link #rebases()}.
     */
    default void rebase(long id, long parentId) throws IOException {
        throw new UnsupportedOperationException("this layout does not rebase");
    }

    /** The mounts that show an active or view snapshot. */
    List<Mount> mounts(long id, SnapshotKind kind, List<Long> parents);
}
