package io.jctr.spi.snapshots;

import java.util.List;
import java.util.Objects;

/**
 * One mount system call, serialised: what snapshotters emit and runtimes perform (containerd's
 * {@code mount.Mount}). A list of mounts is performed in order onto one root directory.
 *
 * @param type    the file-system type, e.g. {@code overlay}, {@code bind}, {@code tmpfs}; never
 *                empty
 * @param source  what to mount: a path, a device, or a label such as {@code overlay}
 * @param target  where to mount it, relative to the root the list is mounted onto; {@code ""}
 *                (the usual case) is the root itself
 * @param options fstab-style options, e.g. {@code ro}, {@code rbind},
 *                {@code lowerdir=/a:/b}; copied, immutable
 */
public record Mount(String type, String source, String target, List<String> options) {

    /**
     * Validates and copies the components; {@code null} target and options become empty.
     *
     * @throws NullPointerException     when the type or the source is {@code null}
     * @throws IllegalArgumentException when the type is empty or the target absolute
     */
    public Mount {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("mount of \"" + source + "\" needs a type");
        }
        target = target == null ? "" : target;
        if (target.startsWith("/")) {
            throw new IllegalArgumentException("mount target \"" + target + "\" must be relative");
        }
        options = options == null ? List.of() : List.copyOf(options);
    }

    /** A mount onto the root itself, the only form containerd 1.6's snapshotters emit. */
    public Mount(String type, String source, List<String> options) {
        this(type, source, "", options);
    }
}
