package io.jctr.core.diff;

/**
 * What applying a layer read: the digest and size of its uncompressed tar stream, which an image
 * config lists as the layer's diff id ({@code rootfs.diff_ids}).
 *
 * @param diffId {@code sha256:<hex>} of every uncompressed byte, including the archive's trailing padding
 * @param size the number of uncompressed bytes
 */
public record AppliedLayer(String diffId, long size) {
}
