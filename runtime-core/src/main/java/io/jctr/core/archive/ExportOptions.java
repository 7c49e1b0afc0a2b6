package io.jctr.core.archive;

import java.util.List;

/**
 * What {@code images export} asks for.
 *
 * @param file      the archive to write, an absolute path on the daemon's host
 * @param names     the images, at least one
 * @param platforms which manifests of indexes to write; empty for the host's platform
 * @param docker    a docker archive instead of an OCI image layout
 */
record ExportOptions(String file, List<String> names, List<String> platforms, boolean allPlatforms, boolean docker) {

    ExportOptions {
        names = List.copyOf(names);
        platforms = List.copyOf(platforms);
    }
}
