package io.jctr.core.archive;

import io.jctr.core.content.ContentService;
import io.jctr.core.images.ImageService;
import io.jctr.core.leases.LeaseService;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The services an import or export works through.
 *
 * @param collectGarbage runs a collection and returns when it is done
 * @param unpacker       the registered unpacker, looked up at call time
 */
record ArchiveServices(ContentService content, ImageService images, LeaseService leases, Runnable collectGarbage,
                       Supplier<Optional<ImportUnpacker>> unpacker) {
}
