package io.jctr.core.pull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The configuration section {@code jctr.plugins."io.jctr.transfer.v1.pull-service"}: registries
 * reachable over plain HTTP, an extra CA bundle, download concurrency, limits, the default
 * snapshotter.
 */
public interface PullConfig {

    /** Registry hosts ({@code host[:port]}) that may be used over http; loopback always may. */
    default List<String> insecureRegistries() {
        return List.of();
    }

    /** PEM certificates trusted for registries in addition to the JDK's CAs. */
    Optional<Path> caFile();

    /** Blobs downloaded at once per pull (containerd's default is 3). */
    default int maxConcurrentDownloads() {
        return 3;
    }

    /** Manifests and indexes larger than this are refused. */
    default long maxManifestBytes() {
        return 4L << 20;
    }

    /** Where pulls unpack when the request names no snapshotter. */
    default String snapshotter() {
        return "overlayfs";
    }
}
