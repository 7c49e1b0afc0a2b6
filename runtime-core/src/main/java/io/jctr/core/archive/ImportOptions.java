package io.jctr.core.archive;

import java.util.List;

/**
 * What {@code images import} asks for (ctr's options).
 *
 * @param file        the archive, an absolute path on the daemon's host
 * @param platforms   which manifests of indexes to take; empty for the host's platform
 * @param indexName   also name the archive's index (an OCI layout's index.json, or an index
 *                    made of a docker archive's manifests); empty for none
 * @param baseName    the repository that tag-only names are put in, and that full names must
 *                    start with; empty for ctr's default {@code import-<date>} (full names then
 *                    pass as they are)
 * @param digests     also name each image {@code <base>@<digest>}
 * @param unpack      unpack each image through the registered {@link ImportUnpacker}
 * @param snapshotter the snapshotter to unpack into; empty for the default
 */
record ImportOptions(String file, List<String> platforms, boolean allPlatforms, String indexName, String baseName,
                     boolean digests, boolean unpack, String snapshotter) {

    ImportOptions {
        platforms = List.copyOf(platforms);
    }
}
