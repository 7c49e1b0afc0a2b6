package io.jctr.spi.snapshots;

import io.jctr.spi.JctrException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Allocates, mounts and commits filesystem snapshots: the contract of plugins of type
 * {@link io.jctr.spi.PluginType#SNAPSHOTTER} (containerd's {@code snapshots.Snapshotter}). See the
 * package documentation for keys, namespaces and the error model.
 *
 * <p>Life cycle, as in containerd: {@link #prepare} creates an {@link SnapshotKind#ACTIVE}
 * snapshot on top of a committed parent (or of nothing) and returns the mounts that show it; the
 * caller mounts them, changes files, unmounts, and either {@link #commit}s the changes into a new
 * {@link SnapshotKind#COMMITTED} snapshot (which gets the active snapshot's parent, and replaces
 * the active snapshot) or {@link #remove}s it. {@link #view} is a read-only {@code prepare} that
 * cannot be committed. Only committed snapshots are parents; a snapshot with children cannot be
 * removed.
 *
 * <p>Labels: the snapshotter stores whatever labels it is given and returns them unchanged;
 * {@code null} means none. The daemon decides which labels reach the snapshotter (containerd
 * passes those under {@code containerd.io/snapshot/} and {@code containerd.io/snapshot.ref}).
 *
 * <p>Thread-safety: every method may be called concurrently from any thread. Operations on
 * different keys proceed in parallel; racing operations on the same key are serialised, and the
 * loser sees the error the winner's result implies (e.g. two {@code prepare}s of one key: one
 * succeeds, the other gets {@code ALREADY_EXISTS}). If the instance is {@link AutoCloseable} the
 * registry closes it at shutdown.
 */
public interface Snapshotter {

    /**
     * The info of a snapshot of any kind.
     *
     * @param key the key of an active or view snapshot, or the name of a committed one
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no snapshot has that key
     * @throws IOException               when the storage fails
     */
    SnapshotInfo stat(String key) throws IOException;

    /**
     * Changes the labels of a snapshot, the only mutable part of its info; sets
     * {@code updatedAt}. The snapshot is {@code info.name()}; its other fields are ignored.
     *
     * <p>Field paths, as in containerd: {@code labels} replaces all labels with
     * {@code info.labels()}; {@code labels.<key>} sets that one key to its value in
     * {@code info.labels()}, or removes the key when {@code info.labels()} lacks it. An empty set
     * means {@code labels}.
     *
     * @param fieldpaths the fields to change, never {@code null}
     * @return the snapshot's info after the change
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no snapshot has that name;
     *                                   {@code INVALID_ARGUMENT} for any other field path
     * @throws IOException               when the storage fails
     */
    SnapshotInfo update(SnapshotInfo info, Set<String> fieldpaths) throws IOException;

    /**
     * The disk usage of one snapshot, excluding its parents. For active snapshots this may take
     * time proportional to their content (it may walk the tree); it must not block other
     * operations meanwhile.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no snapshot has that key
     * @throws IOException               when the storage fails
     */
    Usage usage(String key) throws IOException;

    /**
     * The mounts of an active or view snapshot, the same {@link #prepare} or {@link #view}
     * returned; lets a caller recover them later.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no snapshot has that key;
     *                                   {@code FAILED_PRECONDITION} when it is committed
     *                                   (committed snapshots are never mounted directly)
     * @throws IOException               when the storage fails
     */
    List<Mount> mounts(String key) throws IOException;

    /**
     * Creates a writable (active) snapshot whose initial content is its parent's, and returns the
     * mounts that show it. Nothing is mounted by this call.
     *
     * @param key    the new snapshot's key, never empty; unique among all snapshots of any kind
     * @param parent the name of a committed snapshot, or {@code ""}/{@code null} for an empty
     *               directory
     * @param labels the new snapshot's labels; {@code null} means none
     * @return the mounts to perform, in order, onto the directory that should show the snapshot
     * @throws io.jctr.spi.JctrException {@code ALREADY_EXISTS} when a snapshot has that key;
     *                                   {@code NOT_FOUND} when the parent does not exist;
     *                                   {@code INVALID_ARGUMENT} when the key is empty or the
     *                                   parent is not committed
     * @throws IOException               when the storage fails; nothing is left behind then
     */
    List<Mount> prepare(String key, String parent, Map<String, String> labels) throws IOException;

    /**
     * Like {@link #prepare}, but creates a read-only view of the parent: the mounts may be
     * read-only, changes through them are lost, and the view cannot be committed. Errors as for
     * {@link #prepare}.
     *
     * @throws IOException when the storage fails; nothing is left behind then
     */
    List<Mount> view(String key, String parent, Map<String, String> labels) throws IOException;

    /**
     * Captures the changes of an active snapshot as a new committed snapshot {@code name}, whose
     * parent is the active snapshot's parent; the active snapshot {@code key} is gone afterwards.
     * The caller should have unmounted the active snapshot's mounts.
     *
     * @param labels the committed snapshot's labels (the active snapshot's are not carried over);
     *               {@code null} means none
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no snapshot has the key
     *                                   {@code key}; {@code FAILED_PRECONDITION} when that snapshot
     *                                   is a view or committed; {@code ALREADY_EXISTS} when a
     *                                   snapshot of any kind is named {@code name} (the active
     *                                   snapshot then stays); {@code INVALID_ARGUMENT} when
     *                                   {@code name} is empty
     * @throws IOException               when the storage fails; the active snapshot then stays
     */
    void commit(String name, String key, Map<String, String> labels) throws IOException;

    /**
     * Whether this snapshotter can {@link #commit(String, String, String, Map) rebase}: stack a
     * snapshot that was prepared and filled without a parent onto a parent chosen at commit time.
     * That is what lets an image's layers be applied side by side, each into its own snapshot, and
     * then committed in chain order (containerd's {@code rebase} capability). It needs snapshots
     * whose own content does not depend on their parents, as overlayfs upper directories: a layer
     * applied without its parents records deletions and opaque directories the way overlayfs stores
     * them in an upper directory — a character device 0:0 in place of each removed name, and the
     * extended attribute {@code trusted.overlay.opaque="y"} on each directory that hides its lower
     * counterparts. The default is {@code false}.
     */
    default boolean canRebase() {
        return false;
    }

    /**
     * Like {@link #commit(String, String, Map)}, but the committed snapshot {@code name} gets the
     * committed snapshot {@code parent} as its parent, instead of the active snapshot's own (it must
     * have none). Its content is then seen on top of {@code parent}'s, deletions and opaque
     * directories given in overlayfs form (see {@link #canRebase()}). The root directory of the
     * snapshot takes the owner and mode of {@code parent}'s, as a snapshot prepared on
     * {@code parent} would have had.
     *
     * @param parent the name of a committed snapshot; {@code ""} makes this the plain commit
     * @throws io.jctr.spi.JctrException {@code NOT_IMPLEMENTED} when {@link #canRebase()} is false
     *                                   (the default); {@code NOT_FOUND} when no snapshot has the
     *                                   key {@code key} or the name {@code parent};
     *                                   {@code INVALID_ARGUMENT} when {@code parent} is not
     *                                   committed, or the active snapshot has a parent;
     *                                   otherwise as {@link #commit(String, String, Map)}
     * @throws IOException               when the storage fails; the active snapshot then stays
     */
    default void commit(String name, String key, String parent, Map<String, String> labels) throws IOException {
        if (parent == null || parent.isEmpty()) {
            commit(name, key, labels);
            return;
        }
        throw new JctrException(JctrException.Kind.NOT_IMPLEMENTED,
                "snapshotter cannot commit snapshot \"" + key + "\" onto parent \"" + parent + "\": it does not rebase");
    }

    /**
     * Removes a snapshot of any kind and, unless the snapshotter defers it to {@link #cleanup},
     * the resources it uses. The key is free for reuse when this returns. Mounts of the snapshot
     * must have been unmounted by the caller.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when no snapshot has that key;
     *                                   {@code FAILED_PRECONDITION} when it is the parent of
     *                                   another snapshot (remove the children first)
     * @throws IOException               when the storage fails
     */
    void remove(String key) throws IOException;

    /**
     * Calls {@code consumer} with the info of every snapshot that {@code filter} accepts, in no
     * particular order. Snapshots created or removed during the walk may or may not be seen. The
     * consumer must not change the snapshotter (collect, then act); an exception it throws ends
     * the walk and propagates.
     *
     * @param filter which snapshots to visit; {@code info -> true} for all
     * @throws IOException when the storage fails
     */
    void walk(Predicate<SnapshotInfo> filter, Consumer<SnapshotInfo> consumer) throws IOException;

    /**
     * Frees resources that {@link #remove} left for later (containerd's {@code Cleaner}): the
     * daemon's garbage collector calls it after removing snapshots, so that removal can be fast.
     * Idempotent; must not touch live snapshots. The default does nothing, for snapshotters that
     * free everything in {@code remove}.
     *
     * @throws IOException when the storage fails
     */
    default void cleanup() throws IOException {
    }
}
