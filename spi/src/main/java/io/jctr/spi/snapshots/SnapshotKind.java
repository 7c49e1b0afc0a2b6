package io.jctr.spi.snapshots;

/**
 * The kind of a snapshot, fixed at creation: {@link Snapshotter#prepare} makes an
 * {@link #ACTIVE} one, {@link Snapshotter#view} a {@link #VIEW}, {@link Snapshotter#commit} a
 * {@link #COMMITTED}. No snapshot ever changes kind.
 */
public enum SnapshotKind {
    /** A read-only snapshot of a parent; can be mounted, never committed. */
    VIEW,
    /** A writable snapshot; can be mounted and committed, never be a parent. */
    ACTIVE,
    /** An immutable snapshot; can be a parent, never mounted directly. */
    COMMITTED
}
