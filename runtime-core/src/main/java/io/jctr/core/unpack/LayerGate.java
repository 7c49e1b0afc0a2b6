package io.jctr.core.unpack;

import java.io.IOException;

/**
 * Lets the unpacker wait until a layer's blob is in the content store, so unpacking runs while
 * later layers are still downloading. {@link #PRESENT} when every blob is already there.
 */
@FunctionalInterface
public interface LayerGate {

    LayerGate PRESENT = index -> {
    };

    /**
     * Returns once layer {@code index}'s blob is committed.
     *
     * @throws IOException when its download failed (the unpack then stops with that error)
     */
    void await(int index) throws IOException, InterruptedException;
}
