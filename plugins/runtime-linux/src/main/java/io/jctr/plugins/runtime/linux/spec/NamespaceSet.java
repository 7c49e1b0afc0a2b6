package io.jctr.plugins.runtime.linux.spec;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The namespaces a spec asks for: for each type, whether it is created ({@code ""}) or joined
 * (the path). A type not in the set is inherited from the runtime. Entries with unknown types
 * and repeated types (which {@link SpecValidator} rejects) are skipped. Immutable.
 */
public final class NamespaceSet {

    private final Map<NamespaceType, String> entries;

    private NamespaceSet(Map<NamespaceType, String> entries) {
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** The namespaces of {@code spec}; none when it has no Linux section. */
    public static NamespaceSet of(RuntimeSpec spec) {
        Map<NamespaceType, String> entries = new EnumMap<>(NamespaceType.class);
        if (spec.linux() != null) {
            for (Linux.Namespace ns : spec.linux().namespaces()) {
                NamespaceType.bySpecName(ns.type()).ifPresent(t -> entries.putIfAbsent(t, ns.path()));
            }
        }
        return new NamespaceSet(entries);
    }

    /** Whether the container gets its own namespace of {@code type}, new or joined. */
    public boolean contains(NamespaceType type) {
        return entries.containsKey(type);
    }

    /** Whether a new namespace of {@code type} is created. */
    public boolean isNew(NamespaceType type) {
        return "".equals(entries.get(type));
    }

    /** Whether an existing namespace of {@code type} is joined. */
    public boolean isJoined(NamespaceType type) {
        return contains(type) && !isNew(type);
    }

    /** The path to join for {@code type}, or {@code ""}. */
    public String path(NamespaceType type) {
        return entries.getOrDefault(type, "");
    }
}
