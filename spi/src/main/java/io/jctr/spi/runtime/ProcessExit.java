package io.jctr.spi.runtime;

import java.util.Objects;

/**
 * The exit of one process, as delivered to exit listeners; carries what containerd's
 * {@code /tasks/exit} event carries.
 *
 * @param task   the task the process belongs to
 * @param id     the process's id: {@code task.id()} for init, the exec id for an exec
 * @param status how it ended
 */
public record ProcessExit(TaskRef task, String id, ExitStatus status) {

    /** @throws NullPointerException when a component is {@code null} */
    public ProcessExit {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
    }

    /** Whether this is the exit of the task's init process, after which the task is stopped. */
    public boolean isInit() {
        return id.equals(task.id());
    }
}
