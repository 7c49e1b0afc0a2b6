package io.jctr.plugins.runtime.linux.spec;

/**
 * The container's root filesystem ({@code root}).
 *
 * @param path     absolute, or relative to the bundle; {@code ""} when absent
 * @param readonly whether the root is remounted read-only before the process runs
 */
public record Root(String path, boolean readonly) {

    /** Normalises an absent path to {@code ""}. */
    public Root {
        path = OrEmpty.string(path);
    }
}
