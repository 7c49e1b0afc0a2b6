package io.jctr.core.unpack;

/** Told when each layer's unpacking starts and ends; called from any thread (layers may be unpacked side by side). */
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
