package io.jctr.core.archive;

import io.jctr.core.images.ImageRecord;

/** An image record an import created or moved: its name and target. */
record ImportedImage(String name, ImageRecord.Target target) {
}
