package io.jctr.plugins.runtime.linux.spec;

import java.util.List;

/**
 * Lifecycle hooks ({@code hooks}), each list run in order at its point of the life cycle.
 *
 * @param prestart        deprecated: runtime namespace, after create, before pivot_root
 * @param createRuntime   runtime namespace, after the mounts, before pivot_root
 * @param createContainer container namespace, after the mounts, before pivot_root
 * @param startContainer  container namespace, on start, before the user process is executed
 * @param poststart       runtime namespace, after the user process started
 * @param poststop        runtime namespace, after the container was deleted
 */
public record Hooks(
        List<Hook> prestart,
        List<Hook> createRuntime,
        List<Hook> createContainer,
        List<Hook> startContainer,
        List<Hook> poststart,
        List<Hook> poststop) {

    /** Normalises absent lists to empty ones. */
    public Hooks {
        prestart = OrEmpty.list(prestart);
        createRuntime = OrEmpty.list(createRuntime);
        createContainer = OrEmpty.list(createContainer);
        startContainer = OrEmpty.list(startContainer);
        poststart = OrEmpty.list(poststart);
        poststop = OrEmpty.list(poststop);
    }

    /**
     * One hook command.
     *
     * @param path    the executable, absolute; {@code ""} when absent
     * @param args    its argv, including argv[0]
     * @param env     its environment, {@code KEY=value}
     * @param timeout seconds before it is killed; {@code null} for none
     */
    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {

        /** Normalises absent fields to empty ones. */
        public Hook {
            path = OrEmpty.string(path);
            args = OrEmpty.list(args);
            env = OrEmpty.list(env);
        }
    }
}
