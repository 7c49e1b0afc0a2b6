package io.jctr.core.labels;

import io.jctr.spi.JctrException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies an update mask to labels the way containerd does: paths {@code labels.<key>} set or
 * (when the update has no such label) remove one label; {@code labels} or an empty mask replaces
 * all labels. Any other path is rejected, naming it.
 */
public final class FieldPaths {

    private static final String LABELS = "labels";

    private FieldPaths() {
    }

    /**
     * @param object   what is updated, for the error message (e.g. {@code namespace "x"})
     * @param current  the stored labels
     * @param update   the labels sent by the client
     * @param paths    the update mask, possibly empty
     * @param allowed  further top-level paths the caller handles itself
     */
    public static Map<String, String> applyLabels(String object, Map<String, String> current, Map<String, String> update,
                                                  List<String> paths, List<String> allowed) {
        if (paths.isEmpty()) {
            return new TreeMap<>(update);
        }
        Map<String, String> result = new TreeMap<>(current);
        for (String path : paths) {
            if (path.equals(LABELS)) {
                result = new TreeMap<>(update);
            } else if (path.startsWith(LABELS + ".")) {
                String key = path.substring(LABELS.length() + 1);
                String value = update.get(key);
                if (value == null || value.isEmpty()) {
                    result.remove(key);
                } else {
                    result.put(key, value);
                }
            } else if (!allowed.contains(path)) {
                throw JctrException.invalidArgument("cannot update \"%s\" field on %s", path, object);
            }
        }
        return result;
    }
}
