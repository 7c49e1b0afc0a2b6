package io.jctr.plugins.runtime.linux.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Null-to-empty normalisation for the records' compact constructors. */
final class OrEmpty {

    private OrEmpty() {
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** An unmodifiable copy that keeps the JSON order of the keys. */
    static <V> Map<String, V> map(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static String string(String s) {
        return s == null ? "" : s;
    }
}
