package io.jctr.core.archive;

import java.util.List;

/** @param format {@code oci}, {@code docker} or {@code rootfs} */
record ImportResult(String format, List<ImportedImage> images) {
}
