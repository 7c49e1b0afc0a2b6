package io.jctr.spi.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A snapshot of one process's state (containerd's {@code runtime.State}).
 *
 * @param id         the process's id: the container id for init, the exec id for an exec
 * @param pid        the pid in the host's pid namespace, 0 before one exists
 * @param status     the life-cycle status
 * @param exitStatus how the process ended; {@code null} unless the status is {@code STOPPED}
 * @param bundle     the task's bundle directory
 * @param stdio      the process's standard streams, as given at create or exec
 */
public record ProcessState(String id, int pid, ProcessStatus status, ExitStatus exitStatus, Path bundle,
                           Stdio stdio) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException     when a component other than the exit status is {@code null}
     * @throws IllegalArgumentException when the exit status is present exactly when the status is
     *                                  not {@code STOPPED}, or the pid is negative
     */
    public ProcessState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(stdio, "stdio");
        if (pid < 0) {
            throw new IllegalArgumentException("negative pid " + pid + " for process " + id);
        }
        if ((status == ProcessStatus.STOPPED) != (exitStatus != null)) {
            throw new IllegalArgumentException("process " + id + " is " + status
                    + (exitStatus == null ? " without" : " with") + " an exit status");
        }
    }
}
