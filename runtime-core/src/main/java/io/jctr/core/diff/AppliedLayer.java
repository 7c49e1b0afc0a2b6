package io.jctr.core.diff;

import java.util.List;

/**
 * What applying a layer read: the digest and size of its uncompressed tar stream, which an image
 * config lists as the layer's diff id ({@code rootfs.diff_ids}).
 *
 * @param diffId {@code sha256:<hex>} of every uncompressed byte, including the archive's trailing padding
 * @param size the number of uncompressed bytes
 * @param implicitDirectories for a layer applied without its parents: the directories (relative
 *     paths, parents first) the applier created because entries lay below them and the layer did
 *     not name them, which the parents may hold with another owner and mode
 *     ({@link LowerDirectories}); empty otherwise
 */
public record AppliedLayer(String diffId, long size, List<String> implicitDirectories) {

    public AppliedLayer {
        implicitDirectories = List.copyOf(implicitDirectories);
    }

    public AppliedLayer(String diffId, long size) {
        this(diffId, size, List.of());
    }
}
