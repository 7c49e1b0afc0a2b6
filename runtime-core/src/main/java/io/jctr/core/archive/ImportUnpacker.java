package io.jctr.core.archive;

import io.jctr.core.images.ImageRecord;
import io.jctr.spi.Platform;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * Unpacks an image the archive service just imported into snapshots: the integration point
 * between import and the image unpacker. The archive service looks it up at call time: the
 * transfer plugin's unpacker ({@link UnpackerBridge}); an import that asks for unpacking while
 * none is registered fails with FAILED_PRECONDITION before it reads the archive.
 *
 * <p>Called after the image record is written and while the import's lease still protects the
 * content; the unpacker adds what it creates to {@code lease}.
 */
public interface ImportUnpacker {

    /**
     * @param namespace   the namespace of the image
     * @param lease       the import's lease id
     * @param image       the imported image record
     * @param snapshotter the snapshotter to unpack into; empty for the default
     * @param platforms   which manifests of an index to unpack
     * @throws IOException when reading content or writing snapshots fails
     */
    void unpack(String namespace, String lease, ImageRecord image, String snapshotter, Predicate<Platform> platforms)
            throws IOException;
}
