package io.jctr.plugins.runtime.linux.launch;

import java.io.IOException;

/**
 * A running helper, as its starter sees it: the launcher waits for it and, when a launch fails,
 * kills it. A helper started in this JVM is its child ({@link HelperStarter#LOCAL}); one
 * started for a {@code jctr-runc} client is the client's child, so these calls travel to the
 * client.
 */
public interface HelperProcess {

    /** The helper's pid, in this process's pid namespace. */
    int pid();

    /**
     * Waits for the helper to exit and returns its wait status. Foreground launches wait here
     * for the container; the wait can be interrupted where the starter allows it.
     */
    int awaitExit() throws IOException, InterruptedException;

    /** The wait status if the helper has exited (reaping it), or -1 while it runs. */
    int poll() throws IOException;

    /** Sends {@code signal} to the helper; a helper that has gone is not an error. */
    void kill(int signal) throws IOException;
}
