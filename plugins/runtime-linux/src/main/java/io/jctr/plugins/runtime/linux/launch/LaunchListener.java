package io.jctr.plugins.runtime.linux.launch;

import java.io.IOException;

/**
 * The runtime's part of a launch, called by {@link Launcher#launch} on the launching thread in
 * this order: {@link #initStarted}, then {@link #createRuntimeHooks} and {@link #ready} when
 * the plan reaches those sync points. An exception aborts the launch: the helper and the init
 * are killed and reaped, and {@link Launcher#launch} rethrows it.
 */
public interface LaunchListener {

    /**
     * The init exists (not yet set up): its pid in this process's pid namespace. Returns the
     * container's state JSON, which hooks run by the helper receive on stdin.
     */
    String initStarted(int pid) throws IOException;

    /**
     * {@code SyncWithRuntime(CREATE_RUNTIME_HOOKS)}: the mounts are done and the root is not
     * switched; run the prestart and createRuntime hooks on the host before returning.
     */
    void createRuntimeHooks(int pid) throws IOException;

    /** {@code SyncWithRuntime(READY)}: set up except for identity and privileges. */
    void ready(int pid) throws IOException;

    /** A listener with nothing to do: the state JSON is {@code "{}"}. */
    LaunchListener NONE = new LaunchListener() {
        @Override
        public String initStarted(int pid) {
            return "{}";
        }

        @Override
        public void createRuntimeHooks(int pid) {
        }

        @Override
        public void ready(int pid) {
        }
    };
}
