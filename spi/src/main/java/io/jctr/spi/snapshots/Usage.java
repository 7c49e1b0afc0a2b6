package io.jctr.spi.snapshots;

/**
 * The disk resources one snapshot uses by itself, excluding its parents (containerd's
 * {@code snapshots.Usage}).
 *
 * @param size   bytes used, at least 0
 * @param inodes inodes used, at least 0
 */
public record Usage(long size, long inodes) {

    /** @throws IllegalArgumentException when a value is negative */
    public Usage {
        if (size < 0 || inodes < 0) {
            throw new IllegalArgumentException("negative usage: size " + size + ", inodes " + inodes);
        }
    }

    /** The sum of this usage and {@code other}, as for a snapshot plus its parents. */
    public Usage plus(Usage other) {
        return new Usage(size + other.size, inodes + other.inodes);
    }
}
