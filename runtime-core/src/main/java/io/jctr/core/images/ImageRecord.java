package io.jctr.core.images;

import java.util.Map;
import java.util.TreeMap;

/** An image as stored: a name pointing at a target descriptor (manifest or index), with labels. */
public record ImageRecord(String name, Map<String, String> labels, Target target, String createdAt, String updatedAt) {

    /** An OCI descriptor. */
    public record Target(String mediaType, String digest, long size, Map<String, String> annotations) {
        public Target {
            annotations = annotations == null ? Map.of() : new TreeMap<>(annotations);
        }
    }

    public ImageRecord {
        labels = labels == null ? Map.of() : new TreeMap<>(labels);
    }
}
