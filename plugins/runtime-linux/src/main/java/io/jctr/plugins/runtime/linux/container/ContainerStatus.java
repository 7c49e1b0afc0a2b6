package io.jctr.plugins.runtime.linux.container;

import java.util.Locale;

/**
 * The OCI runtime specification's container statuses, plus {@code paused} (runc's addition,
 * from the cgroup freezer).
 */
public enum ContainerStatus {
    /** Being created: the state exists, the init is not waiting for {@code start} yet. */
    CREATING,
    /** The init waits for {@code start} (its exec FIFO still exists). */
    CREATED,
    /** The user's program runs. */
    RUNNING,
    /** Every process is frozen. */
    PAUSED,
    /** The init has exited (or never existed). */
    STOPPED;

    /** The name as runc prints it, e.g. {@code created}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
