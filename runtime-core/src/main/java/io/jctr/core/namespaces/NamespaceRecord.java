package io.jctr.core.namespaces;

import java.util.Map;
import java.util.TreeMap;

/** A namespace as stored: its labels and RFC 3339 timestamps. */
public record NamespaceRecord(String name, Map<String, String> labels, String createdAt, String updatedAt) {

    public NamespaceRecord {
        labels = labels == null ? Map.of() : new TreeMap<>(labels);
    }
}
