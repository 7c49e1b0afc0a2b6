package io.jctr.core.archive;

import java.util.List;

/**
 * What an archive holds once read: the roots whose graphs are checked and labelled, and the
 * image records to write.
 */
record ImportPlan(String format, List<Descriptor> roots, List<ImportedImage> images) {
}
