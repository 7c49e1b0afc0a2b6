package io.jctr.core.archive;

import io.jctr.spi.JctrException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one pass over an archive found: the small metadata files in memory, every other regular
 * file stored as a blob, and links between entries (resolved on lookup).
 */
final class ScannedArchive {

    private static final int MAX_LINK_HOPS = 16;

    final String file;
    final Map<String, byte[]> metadata = new HashMap<>();
    final Map<String, StoredBlob> blobs = new HashMap<>();
    final Map<String, String> links = new HashMap<>();

    ScannedArchive(String file) {
        this.file = file;
    }

    Optional<byte[]> metadata(String path) {
        return Optional.ofNullable(metadata.get(path));
    }

    /**
     * The blob stored for {@code path}, following links between entries.
     *
     * @param referrer names who refers to the path, for the error
     * @throws JctrException INVALID_ARGUMENT when no such file is in the archive
     */
    StoredBlob blob(String path, String referrer) {
        String p = EntryPaths.clean(path);
        for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            StoredBlob b = blobs.get(p);
            if (b != null) {
                return b;
            }
            String next = links.get(p);
            if (next == null) {
                break;
            }
            p = next;
        }
        throw JctrException.invalidArgument("archive %s: %s refers to %s, which is not a file in the archive", file, referrer,
                EntryPaths.quote(path));
    }
}
