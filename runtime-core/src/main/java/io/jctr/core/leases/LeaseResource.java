package io.jctr.core.leases;

import io.jctr.spi.JctrException;

/**
 * One thing a lease holds, in containerd's vocabulary: type {@code content} (id a digest),
 * {@code ingests} (id an ingest ref) or {@code snapshots/<snapshotter>} (id a snapshot key).
 */
public record LeaseResource(String type, String id) {

    public static final String CONTENT = "content";
    public static final String INGESTS = "ingests";
    public static final String SNAPSHOTS = "snapshots/";

    /** @throws JctrException INVALID_ARGUMENT for an unknown type or an empty id */
    public LeaseResource {
        if (type == null || !(type.equals(CONTENT) || type.equals(INGESTS)
                || (type.startsWith(SNAPSHOTS) && type.length() > SNAPSHOTS.length()))) {
            throw JctrException.invalidArgument("invalid lease resource type \"%s\": want content, ingests or snapshots/<snapshotter>", type);
        }
        if (id == null || id.isEmpty()) {
            throw JctrException.invalidArgument("lease resource of type %s needs an id", type);
        }
    }

    public static LeaseResource snapshot(String snapshotter, String key) {
        return new LeaseResource(SNAPSHOTS + snapshotter, key);
    }
}
