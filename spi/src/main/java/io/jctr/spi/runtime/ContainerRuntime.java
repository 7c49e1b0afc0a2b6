package io.jctr.spi.runtime;

import io.jctr.spi.JctrException;
import io.jctr.spi.metrics.CgroupStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Runs containers from OCI bundles: the contract of plugins of type
 * {@link io.jctr.spi.PluginType#RUNTIME}, which the daemon drives in-process to serve containerd's
 * tasks API. See the package documentation for tasks, exec ids, JSON and the error model.
 *
 * <p>Tasks outlive the daemon: a runtime keeps each task's state (bundle, pids, stdio, exit
 * status) where a new instance finds it, and its plugin initialisation re-attaches to the tasks
 * that still exist, so {@link #tasks} after a daemon restart lists them again. A task whose init
 * died unobserved is {@code STOPPED} (exit status known) or {@code UNKNOWN} (lost).
 *
 * <p>Thread-safety: every method may be called concurrently from any thread. Operations on one
 * task are serialised by the runtime; operations on different tasks proceed in parallel. Methods
 * may block (they talk to the OS and to shims); the daemon calls them from worker threads.
 */
public interface ContainerRuntime {

    /**
     * Creates a task: mounts its root file system, sets up the container from the bundle's
     * {@code config.json} and leaves its init process {@code CREATED}, waiting for
     * {@link #start}. Returns when the init process exists.
     *
     * @return the init process's pid in the host's pid namespace
     * @throws io.jctr.spi.JctrException {@code ALREADY_EXISTS} when the task exists;
     *                                   {@code INVALID_ARGUMENT} when the bundle or its
     *                                   {@code config.json} is missing or malformed (the message
     *                                   names the JSON path), or a stdio form is unsupported;
     *                                   {@code FAILED_PRECONDITION} when the spec asks for what
     *                                   the host cannot do (e.g. a cgroup controller that is
     *                                   absent)
     * @throws IOException               when a system call or the shim fails; whatever was set
     *                                   up is undone and no task exists then
     */
    int create(CreateRequest request) throws IOException;

    /**
     * Starts a created process: the user's program of the init process, or an exec process
     * added by {@link #exec}.
     *
     * @return the started process's pid in the host's pid namespace
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task or the exec process does
     *                                   not exist; {@code FAILED_PRECONDITION} when the process is
     *                                   not {@code CREATED}
     * @throws IOException               when the start fails; the process is then {@code STOPPED}
     */
    int start(TaskRef task, String execId) throws IOException;

    /**
     * Adds an exec process to a running task, {@code CREATED} until {@link #start}.
     *
     * @param execId      the new process's id, never empty; not the container id and not used by
     *                    another process of the task until that one is deleted
     * @param processJson the OCI runtime spec's {@code process} object as JSON; its
     *                    {@code terminal} member must agree with {@code stdio.terminal()}
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task does not exist;
     *                                   {@code ALREADY_EXISTS} when the exec id is in use (the
     *                                   container id counts as in use);
     *                                   {@code FAILED_PRECONDITION} when the task is not
     *                                   {@code RUNNING}; {@code INVALID_ARGUMENT} when the id is
     *                                   empty, the JSON malformed or the stdio form unsupported
     * @throws IOException               when setting up the process fails
     */
    void exec(TaskRef task, String execId, String processJson, Stdio stdio) throws IOException;

    /**
     * Sends a signal to a process.
     *
     * @param signal the Linux signal number, e.g. 15 for {@code SIGTERM}
     * @param all    for init only: signal every process in the container, not just init (runc's
     *               {@code kill --all}); ignored for exec processes
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task or process does not exist
     *                                   or has already exited ({@code process already finished},
     *                                   as containerd); {@code INVALID_ARGUMENT} when the signal
     *                                   number is not valid
     * @throws IOException               when sending fails
     */
    void kill(TaskRef task, String execId, int signal, boolean all) throws IOException;

    /**
     * Forgets a process that is not running and returns how it ended. For init this deletes the
     * whole task: its container, remaining exec processes, root-file-system mounts and state; the
     * task's ref is free afterwards. A created process that never started may be deleted; it is
     * killed first and reports code 255 if it had no exit status.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task or process does not exist;
     *                                   {@code FAILED_PRECONDITION} when it is {@code RUNNING} or
     *                                   {@code PAUSED} (kill it and wait first)
     * @throws IOException               when cleaning up fails; the process then still exists
     */
    ExitStatus delete(TaskRef task, String execId) throws IOException;

    /**
     * The current state of a process.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task or process does not exist
     * @throws IOException               when the state cannot be read
     */
    ProcessState state(TaskRef task, String execId) throws IOException;

    /**
     * A future that completes with the process's exit status when it exits, or at once if it has
     * (containerd's {@code Wait}). It completes exceptionally with a {@code NOT_FOUND}
     * {@link io.jctr.spi.JctrException} if the process is deleted without having exited.
     * Cancelling the future does not affect the process.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task or process does not exist
     */
    CompletableFuture<ExitStatus> onExit(TaskRef task, String execId);

    /**
     * Freezes every process of a task (cgroup freezer).
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task does not exist;
     *                                   {@code FAILED_PRECONDITION} when it is not {@code RUNNING}
     * @throws IOException               when freezing fails
     */
    void pause(TaskRef task) throws IOException;

    /**
     * Thaws a paused task.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task does not exist;
     *                                   {@code FAILED_PRECONDITION} when it is not {@code PAUSED}
     * @throws IOException               when thawing fails
     */
    void resume(TaskRef task) throws IOException;

    /**
     * Changes the resource limits of a live task.
     *
     * @param resourcesJson the OCI runtime spec's {@code linux.resources} object as JSON; members
     *                      it lacks stay unchanged
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task does not exist;
     *                                   {@code FAILED_PRECONDITION} when it is {@code STOPPED};
     *                                   {@code INVALID_ARGUMENT} when the JSON is malformed or a
     *                                   value out of range (the message names the JSON path)
     * @throws IOException               when writing the limits fails
     */
    void update(TaskRef task, String resourcesJson) throws IOException;

    /**
     * The processes inside a task's container, in no particular order; empty when it has none left.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task does not exist
     * @throws IOException               when they cannot be listed
     */
    List<ProcessInfo> pids(TaskRef task) throws IOException;

    /**
     * Closes a process's stdin, so that it reads end-of-file. A no-op when stdin is not connected
     * or already closed.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task or process does not exist
     * @throws IOException               when closing fails
     */
    void closeIO(TaskRef task, String execId) throws IOException;

    /**
     * Sets the size of a process's pseudo-terminal. A no-op when the process has no terminal, as
     * in containerd.
     *
     * @param width  columns, at least 1
     * @param height rows, at least 1
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task or process does not exist;
     *                                   {@code FAILED_PRECONDITION} when it has exited;
     *                                   {@code INVALID_ARGUMENT} when a dimension is below 1
     * @throws IOException               when resizing fails
     */
    void resizePty(TaskRef task, String execId, int width, int height) throws IOException;

    /**
     * The current resource statistics of a task's cgroup, for containerd's {@code Metrics} call.
     *
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task or its cgroup does not
     *                                   exist
     * @throws IOException               when the statistics cannot be read
     */
    CgroupStats stats(TaskRef task) throws IOException;

    /**
     * Checkpoints a running task's processes into {@code imageDir} (CRIU images, as
     * {@code runc checkpoint --image-path}), for containerd's {@code Checkpoint} call.
     *
     * @param imageDir an existing, empty directory the images are written to
     * @param exit     whether the task stops after the checkpoint ({@code --exit}); otherwise
     *                 it keeps running
     * @throws io.jctr.spi.JctrException {@code NOT_FOUND} when the task does not exist;
     *                                   {@code FAILED_PRECONDITION} when it is not
     *                                   {@code RUNNING}; {@code NOT_IMPLEMENTED} when this
     *                                   runtime cannot checkpoint (the default)
     * @throws IOException               when the checkpointing tool fails; the message carries
     *                                   its own error text
     */
    default void checkpoint(TaskRef task, Path imageDir, boolean exit) throws IOException {
        throw new JctrException(JctrException.Kind.NOT_IMPLEMENTED,
                "runtime cannot checkpoint task " + task);
    }

    /**
     * Every task this runtime knows, in all namespaces, in no particular order; after a daemon
     * restart, the ones re-attached at initialisation.
     *
     * @throws IOException when the runtime's state cannot be read
     */
    List<TaskRef> tasks() throws IOException;

    /**
     * Registers a listener called once for every exit of every process of every task, after
     * {@link #state} reports the process {@code STOPPED}; its {@link #onExit} futures may complete
     * before or after. Called on a runtime thread, in exit order per task; a listener must return
     * quickly and must not throw (exceptions are logged and ignored). Exits that happened before
     * registration are not replayed: the daemon registers at start, then reconciles with
     * {@link #tasks} and {@link #state}. Listeners stay registered for the runtime's life.
     */
    void addExitListener(Consumer<ProcessExit> listener);

    /**
     * Registers a listener called when the kernel reports that a task's memory cgroup ran out of
     * memory (containerd's {@code /tasks/oom}): on cgroup v1 when the cgroup hit its limit, on v2
     * when the OOM killer killed a process in it; at most once per such kernel notification, and
     * only while the task lives (from its create, or its re-attach after a daemon restart, until
     * its init exits). An OOM that ends the init is reported before that exit's call to the
     * {@link #addExitListener exit listeners}. Called on a runtime thread; a listener must return
     * quickly and must not throw (exceptions are logged and ignored). OOMs that happened before
     * registration, or while no daemon ran, are not replayed. Listeners stay registered for the
     * runtime's life.
     *
     * <p>The default does nothing: a runtime that cannot observe OOMs never calls the listener.
     */
    default void addOomListener(Consumer<TaskRef> listener) {
    }
}
