package io.jctr.core.pull;

import io.jctr.core.registry.Credentials;
import io.jctr.spi.Platform;
import java.util.List;

/**
 * What to pull and how.
 *
 * @param platforms     the platforms to pull; empty means the host's
 * @param allPlatforms  every manifest of an index (only the host's is unpacked)
 * @param snapshotter   where to unpack; empty means the configured default
 */
public record PullRequest(String namespace, String ref, List<Platform> platforms, boolean allPlatforms, boolean plainHttp,
                          Credentials credentials, String snapshotter, boolean unpack) {

    public PullRequest {
        platforms = List.copyOf(platforms);
        credentials = credentials == null ? Credentials.NONE : credentials;
        snapshotter = snapshotter == null ? "" : snapshotter;
    }
}
