package io.jctr.core.content;

import java.util.Map;
import java.util.TreeMap;

/**
 * A blob as one namespace sees it: the blob itself lives once in the content store, each
 * namespace holding it has its own record with its own labels (containerd's metadata layer).
 */
public record ContentRecord(String digest, long size, Map<String, String> labels, String createdAt, String updatedAt) {

    public ContentRecord {
        labels = labels == null ? Map.of() : new TreeMap<>(labels);
    }
}
