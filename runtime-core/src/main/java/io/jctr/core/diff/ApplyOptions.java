package io.jctr.core.diff;

/**
 * How {@link LayerApplier} treats what only a privileged process can do, and where the layer goes.
 *
 * @param privileged whether the applier may do what needs root: give every node the uid/gid its
 *     entry names (lchown) and create block and character devices. Unprivileged, nodes belong to
 *     the applying user, device entries are skipped, and xattrs the kernel refuses with EPERM are
 *     skipped, the way rootless unpacking works
 * @param withoutParents whether the target is an empty directory that will be stacked on the
 *     layer's parents later (a snapshot to be rebased, see
 *     {@link io.jctr.spi.snapshots.Snapshotter#canRebase()}) instead of a view that shows them.
 *     Then whiteouts are written in overlayfs form (a character device 0:0 for each removed name,
 *     {@code trusted.overlay.opaque="y"} on opaque directories, which needs root), a hard link to a
 *     node this layer does not hold fails with {@link ParentsNeededException}, and the applier
 *     reports the directories it had to create for entries below them, whose owner and mode
 *     belong to the parents ({@link AppliedLayer#implicitDirectories()})
 */
public record ApplyOptions(boolean privileged, boolean withoutParents) {

    public ApplyOptions(boolean privileged) {
        this(privileged, false);
    }

    /** Privileged exactly when running as root (effective uid 0). */
    public static ApplyOptions defaults() {
        return new ApplyOptions(LibC.libc().geteuid() == 0);
    }

    /** These options for a target without the layer's parents, see {@link #withoutParents()}. */
    public ApplyOptions forTargetWithoutParents() {
        return new ApplyOptions(privileged, true);
    }
}
