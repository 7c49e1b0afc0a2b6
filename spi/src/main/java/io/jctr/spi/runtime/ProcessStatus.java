package io.jctr.spi.runtime;

/**
 * The life-cycle status of a process (containerd's {@code runtime.Status}; the task's status is
 * its init process's). Transitions: {@code CREATED -> RUNNING} by start, {@code RUNNING <-> PAUSED}
 * by pause and resume, {@code CREATED/RUNNING/PAUSED -> STOPPED} when the process exits or is
 * killed; delete then forgets the process.
 */
public enum ProcessStatus {
    /** Created and waiting to be started; for init, its namespaces and mounts exist. */
    CREATED,
    /** Started and not yet exited. */
    RUNNING,
    /** Frozen by pause (applies to the whole task). */
    PAUSED,
    /** Exited; the exit status is known and kept until delete. */
    STOPPED,
    /** The runtime lost track of the process, e.g. its shim died while the daemon was down. */
    UNKNOWN
}
