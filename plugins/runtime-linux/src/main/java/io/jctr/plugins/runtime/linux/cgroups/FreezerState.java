package io.jctr.plugins.runtime.linux.cgroups;

/** The freezer's state of a container's cgroup; runc's {@code configs.FreezerState}. */
public enum FreezerState {
    /** Running normally. */
    THAWED,
    /** Asked to freeze; some tasks are still running. */
    FREEZING,
    /** Every task is stopped. */
    FROZEN
}
