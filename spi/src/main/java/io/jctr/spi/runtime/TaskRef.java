package io.jctr.spi.runtime;

import java.util.Objects;

/**
 * Names one task: the namespace it lives in and its container's id. Containers in different
 * namespaces may share an id, so a runtime keys its tasks by both.
 *
 * @param namespace the containerd namespace, e.g. {@code default}; never empty
 * @param id        the container id, unique within the namespace; never empty
 */
public record TaskRef(String namespace, String id) {

    /**
     * Validates the components. The daemon validates identifiers' syntax before; a runtime may
     * rely on both being containerd identifiers ({@code [A-Za-z0-9]+([._-][A-Za-z0-9]+)*}).
     *
     * @throws NullPointerException     when a component is {@code null}
     * @throws IllegalArgumentException when a component is empty
     */
    public TaskRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(id, "id");
        if (namespace.isEmpty() || id.isEmpty()) {
            throw new IllegalArgumentException("task needs a namespace and an id, got \"" + namespace + "\"/\"" + id + "\"");
        }
    }

    /** {@code namespace/id}, as log messages and errors name tasks. */
    @Override
    public String toString() {
        return namespace + "/" + id;
    }
}
