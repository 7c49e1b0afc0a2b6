package io.jctr.core.diff;

import java.nio.file.Path;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Values keyed by absolute path, where forgetting a path forgets everything below it too, in
 * O(log n) per path: the keys below {@code /a/b} are exactly the strings in
 * [{@code "/a/b/"}, {@code "/a/b0"}), since {@code '0'} follows {@code '/'}.
 */
final class PathSet<V> {

    private final NavigableMap<String, V> map = new TreeMap<>();

    void put(Path path, V value) {
        map.put(path.toString(), value);
    }

    boolean contains(Path path) {
        return map.containsKey(path.toString());
    }

    /** The value of {@code path}, or null. */
    V get(Path path) {
        return map.get(path.toString());
    }

    /** Forgets {@code path} and every path below it. */
    void forget(Path path) {
        String p = path.toString();
        map.remove(p);
        map.subMap(p + "/", true, p + "0", false).clear();
    }

    /** All entries, in key order. */
    NavigableMap<String, V> entries() {
        return map;
    }
}
