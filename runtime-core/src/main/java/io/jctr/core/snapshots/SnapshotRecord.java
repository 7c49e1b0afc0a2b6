package io.jctr.core.snapshots;

import io.jctr.spi.snapshots.SnapshotKind;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot as one namespace sees it. The snapshotter holds the data under the key
 * {@code <namespace>/<key>}; the name, parent, kind and labels the client sees live here.
 */
public record SnapshotRecord(String key, SnapshotKind kind, String parent, Map<String, String> labels,
                             String createdAt, String updatedAt) {

    public SnapshotRecord {
        parent = parent == null ? "" : parent;
        labels = labels == null ? Map.of() : new TreeMap<>(labels);
    }
}
