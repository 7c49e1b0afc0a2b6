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

    /**
     * Layers applied at once, over all pulls and imports, into a snapshotter that can take layers
     * side by side (overlayfs): applying is mostly the kernel creating files, one core per layer;
     * each layer at work holds a few MiB of buffers. Default: the number of CPUs, at least 2, at most 4.
     */
    default int maxConcurrentUnpacks() {
        return Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
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
