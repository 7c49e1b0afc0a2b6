package io.jctr.plugins.snapshots.overlay;

import io.jctr.plugins.snapshots.store.SnapshotStore;
import io.jctr.spi.snapshots.Snapshotter;
import io.jctr.spi.snapshots.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Snapshots on overlayfs, after containerd's {@code overlay} snapshotter. Usable on its own;
 * {@link OverlayPlugin} only wires it into the registry.
 *
 * <p>On disk, under the root: {@code metadata/<id>.snap}, one record per snapshot (key, kind,
 * parent, labels, times, usage at commit), and {@code snapshots/<id>/fs} (the snapshot's own
 * files; an active snapshot's overlay upper directory) plus {@code snapshots/<id>/work} (its
 * overlay work directory). Ids are internal numbers; keys never become file names.
 *
 * <p>Mounts: with no parent, a bind mount of {@code fs} ({@code rbind} plus {@code rw}, or
 * {@code ro} for a view); an active snapshot with parents, an {@code overlay} mount with options
 * {@code index=off} (where the kernel knows it), {@code workdir}, {@code upperdir} and
 * {@code lowerdir} (the parents' {@code fs}, nearest first); a view of one parent, a read-only bind
 * mount of the parent's {@code fs}; a view of more, an overlay of {@code lowerdir} alone.
 *
 * <p>Deep chains: paths are always absolute, as containerd's are, so a mount is self-contained
 * and containerd's clients (which shorten long options themselves) can perform it. mount(2) takes
 * at most one page of option data, which absolute paths exceed beyond roughly 60 layers under the
 * default root; the mounter must then shorten the {@code lowerdir} entries relative to their common
 * parent, this root's {@code snapshots/} directory, where they are just {@code <id>/fs} — containerd
 * chdirs there in a child process; the runtime's helper can do the same, and a JVM can name the
 * directory as {@code /proc/self/fd/<n>} (what this module's tests do for a 128-layer chain).
 *
 * <p>Rebase ({@link #canRebase()}): a snapshot prepared without a parent is a plain directory
 * whose content does not depend on what lies below it, so it can be committed onto any committed
 * parent; its {@code fs} then takes the parent's root owner and mode, as {@code prepare} on that
 * parent would have given it. Its removals must be in overlayfs form (0:0 character devices,
 * {@code trusted.overlay.opaque}), which is how an image's layers are applied side by side.
 *
 * <p>Usage: an active or view snapshot's is measured by walking its {@code fs} (apparent sizes,
 * distinct inodes, the directory itself included); a committed snapshot's was measured at commit.
 * Remove deletes the snapshot's directory at once; {@link #cleanup} deletes directories that no
 * record owns (left by a crash). Commit flushes the filesystem (syncfs) before recording the
 * snapshot committed, so a committed layer survives a power loss.
 *
 * <p>Thread-safe; see {@link Snapshotter} for the guarantees.
 */
public final class OverlaySnapshotter extends SnapshotStore {

    /**
     * Opens the snapshotter at {@code root}, creating the directory if needed and reading the
     * records found there.
     *
     * @throws IllegalArgumentException when the root's path holds {@code ,} or {@code :}, which
     *                                  overlay mount options cannot carry
     * @throws IOException              when the root cannot be created or a record cannot be read
     */
    public OverlaySnapshotter(Path root) throws IOException {
        super(checkedRoot(root), new OverlayLayout(root.toAbsolutePath().normalize().resolve("snapshots"),
                Files.exists(Path.of("/sys/module/overlay/parameters/index")), Posix.system()));
    }

    private static Path checkedRoot(Path root) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        if (dir.toString().contains(",") || dir.toString().contains(":")) {
            throw new IllegalArgumentException("overlay snapshotter root \"" + dir + "\" must not contain ',' or ':'");
        }
        Files.createDirectories(dir);
        return dir;
    }
}
