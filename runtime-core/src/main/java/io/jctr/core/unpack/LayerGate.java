package io.jctr.core.unpack;

import java.io.IOException;
import java.io.InputStream;

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

    /**
     * The bytes of layer {@code index} as its download receives them, when an unpack can follow
     * the download; {@code null} (the default) when it cannot, and the blob is read from the
     * content store after {@link #await}. A snapshot applied from this stream is committed only
     * once {@link #await} confirmed the blob.
     */
    default InputStream stream(int index) throws IOException, InterruptedException {
        return null;
    }

    /** Layer {@code index} is not applied (its snapshot exists): nobody will read {@link #stream} of it. */
    default void skipped(int index) {
    }
}
