package io.jctr.core.unpack;

/** Told when each layer's unpacking starts and ends; called from the unpacking thread. */
public interface UnpackListener {

    UnpackListener NONE = new UnpackListener() {
    };

    /** Layer blob {@code digest} is being applied (it was not unpacked before). */
    default void unpacking(String digest) {
    }

    /** Layer blob {@code digest} is in its snapshot; {@code applied} false when the snapshot existed already. */
    default void unpacked(String digest, boolean applied) {
    }
}
