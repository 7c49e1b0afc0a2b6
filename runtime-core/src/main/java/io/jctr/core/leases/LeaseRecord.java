package io.jctr.core.leases;

import java.util.Map;
import java.util.TreeMap;

/** A lease as stored: it protects what is created under it from garbage collection until deleted. */
public record LeaseRecord(String id, Map<String, String> labels, String createdAt) {

    public LeaseRecord {
        labels = labels == null ? Map.of() : new TreeMap<>(labels);
    }
}
