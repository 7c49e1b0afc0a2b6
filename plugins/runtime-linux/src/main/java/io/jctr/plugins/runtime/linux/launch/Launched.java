package io.jctr.plugins.runtime.linux.launch;

import java.io.IOException;

/** A launched container process. Thread-safe. */
public interface Launched {

    /** The init's pid, in the launching process's pid namespace. */
    int pid();

    /**
     * The helper's pid: in the foreground, the process to send signals to (it relays them to
     * the init); when detached, it has exited and been reaped by the time launch returned.
     */
    int helperPid();

    /** Whether the init waits at {@code WaitForStart} for the exec FIFO to be opened. */
    boolean waitingForStart();

    /**
     * Foreground only: waits for the helper, which exits when the init does, and returns the
     * container's exit code (128 + the signal's number when a signal killed it); later calls
     * return the same code.
     *
     * @throws IllegalStateException when the launch was detached
     */
    int waitFor() throws IOException, InterruptedException;
}
