package io.jctr.spi.snapshots;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a snapshotter knows about one snapshot (containerd's {@code snapshots.Info}).
 *
 * @param kind      the snapshot's kind
 * @param name      the snapshot's key (for active and view snapshots) or name (for committed
 *                  ones), never empty
 * @param parent    the key of the committed parent, {@code ""} when the snapshot has none
 * @param labels    the snapshot's labels, never {@code null}; copied, immutable
 * @param createdAt when the snapshot was created
 * @param updatedAt when its labels last changed; equals {@code createdAt} until then
 */
public record SnapshotInfo(SnapshotKind kind, String name, String parent, Map<String, String> labels,
                           Instant createdAt, Instant updatedAt) {

    /**
     * Validates and copies the components; a {@code null} parent becomes {@code ""}.
     *
     * @throws NullPointerException     when the kind, the name or a time is {@code null}
     * @throws IllegalArgumentException when the name is empty
     */
    public SnapshotInfo {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("snapshot info needs a name");
        }
        parent = parent == null ? "" : parent;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
