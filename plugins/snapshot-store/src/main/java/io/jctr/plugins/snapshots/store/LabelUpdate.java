package io.jctr.plugins.snapshots.store;

import io.jctr.spi.JctrException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The field-path rules of {@link io.jctr.spi.snapshots.Snapshotter#update}, as in containerd. */
public final class LabelUpdate {

    private static final String LABELS = "labels";
    private static final String LABEL_PREFIX = "labels.";

    private LabelUpdate() {
    }

    /**
     * The labels after applying {@code fieldpaths} with values from {@code given} to
     * {@code current}.
     *
     * @throws JctrException {@code INVALID_ARGUMENT} for a path other than {@code labels} and
     *                       {@code labels.<key>}
     */
    static Map<String, String> apply(String name, Map<String, String> current, Map<String, String> given,
                                     Set<String> fieldpaths) {
        if (fieldpaths.isEmpty()) {
            return given;
        }
        Map<String, String> result = new HashMap<>(current);
        for (String path : fieldpaths) {
            if (path.startsWith(LABEL_PREFIX)) {
                String key = path.substring(LABEL_PREFIX.length());
                if (given.containsKey(key)) {
                    result.put(key, given.get(key));
                } else {
                    result.remove(key);
                }
            } else if (!LABELS.equals(path)) {
                throw JctrException.invalidArgument("cannot update field \"%s\" of snapshot \"%s\"", path, name);
            }
        }
        if (fieldpaths.contains(LABELS)) {
            // "labels" replaces everything; any labels.<key> next to it read the same map, so agree.
            return given;
        }
        return result;
    }
}
