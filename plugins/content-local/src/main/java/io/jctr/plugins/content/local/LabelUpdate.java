package io.jctr.plugins.content.local;

import io.jctr.spi.JctrException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed set of containerd field paths for content labels: {@code labels} (or no path at all)
 * replaces every label; {@code labels.<key>} sets or removes one key.
 *
 * @param replaceAll whether all labels are replaced
 * @param keys       the single keys to set or remove when not replacing all
 */
record LabelUpdate(boolean replaceAll, Set<String> keys) {

    private static final String PREFIX = "labels.";

    /**
     * @throws JctrException INVALID_ARGUMENT for a path other than {@code labels} or
     *                       {@code labels.<non-empty key>}
     */
    static LabelUpdate parse(String digest, Set<String> fieldpaths) {
        boolean all = fieldpaths.isEmpty();
        Set<String> keys = new TreeSet<>();
        for (String path : fieldpaths) {
            if (path.equals("labels")) {
                all = true;
            } else if (path.startsWith(PREFIX) && path.length() > PREFIX.length()) {
                keys.add(path.substring(PREFIX.length()));
            } else {
                throw JctrException.invalidArgument("cannot update \"%s\" field on content info %s", path, digest);
            }
        }
        return new LabelUpdate(all, Set.copyOf(keys));
    }

    /** The labels after the update: {@code requested} where it applies, {@code current} elsewhere. */
    Map<String, String> apply(Map<String, String> current, Map<String, String> requested) {
        if (replaceAll) {
            return requested;
        }
        Map<String, String> out = new HashMap<>(current);
        for (String key : keys) {
            String value = requested.get(key);
            if (value == null) {
                out.remove(key);
            } else {
                out.put(key, value);
            }
        }
        return out;
    }
}
