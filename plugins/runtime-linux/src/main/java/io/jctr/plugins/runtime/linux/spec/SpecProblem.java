package io.jctr.plugins.runtime.linux.spec;

/**
 * One thing wrong with a spec: the JSON path of the offending field and what is wrong with it,
 * lower-case, naming the value.
 *
 * @param path    e.g. {@code linux.namespaces[2].type}
 * @param message e.g. {@code unknown namespace type "foo"}
 */
public record SpecProblem(String path, String message) {

    /** {@code path: message}. */
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
