package io.jctr.core.diff;

/**
 * How {@link LayerApplier} treats what only a privileged process can do.
 *
 * @param privileged whether the applier may do what needs root: give every node the uid/gid its
 *     entry names (lchown) and create block and character devices. Unprivileged, nodes belong to
 *     the applying user, device entries are skipped, and xattrs the kernel refuses with EPERM are
 *     skipped, the way rootless unpacking works
 */
public record ApplyOptions(boolean privileged) {

    /** Privileged exactly when running as root (effective uid 0). */
    public static ApplyOptions defaults() {
        return new ApplyOptions(LibC.libc().geteuid() == 0);
    }
}
