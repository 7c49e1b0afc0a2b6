package io.jctr.core.leases;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A lease as stored: it protects what is created under it from garbage collection until deleted.
 *
 * @param resources what the lease holds, in the order added, without duplicates
 */
public record LeaseRecord(String id, Map<String, String> labels, String createdAt, List<LeaseResource> resources) {

    public LeaseRecord {
        labels = labels == null ? Map.of() : new TreeMap<>(labels);
        resources = resources == null ? List.of() : List.copyOf(resources);
    }
}
