package io.jctr.core.archive;

import io.jctr.core.images.ImageRecord;
import io.jctr.core.unpack.ImageUnpacker;
import io.jctr.core.unpack.UnpackListener;
import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.function.Predicate;

/**
 * Unpacks imported images with the pull's {@link ImageUnpacker} (the transfer plugin's), so an
 * import leaves the same snapshots, keyed by chain id, that a pull of the same image does. An
 * index is unpacked for this host's platform, as {@code ctr images import} does.
 */
final class UnpackerBridge implements ImportUnpacker {

    private final ImageUnpacker unpacker;
    private final String defaultSnapshotter;

    UnpackerBridge(ImageUnpacker unpacker, String defaultSnapshotter) {
        this.unpacker = unpacker;
        this.defaultSnapshotter = defaultSnapshotter;
    }

    @Override
    public void unpack(String namespace, String lease, ImageRecord image, String snapshotter,
            Predicate<Platform> platforms) throws IOException {
        Platform host = Platform.host();
        if (!platforms.test(host)) {
            throw JctrException.failedPrecondition("image %s: only this host's platform %s can be unpacked",
                    image.name(), host);
        }
        try {
            unpacker.unpackImage(namespace, lease, image.name(),
                    snapshotter.isEmpty() ? defaultSnapshotter : snapshotter, host, UnpackListener.NONE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while unpacking " + image.name());
        }
    }
}
