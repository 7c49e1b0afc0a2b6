package io.jctr.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jctr.api.services.containers.v1.Container;
import io.jctr.api.services.containers.v1.ContainersGrpc;
import io.jctr.api.services.containers.v1.DeleteContainerRequest;
import io.jctr.api.services.containers.v1.GetContainerRequest;
import io.jctr.api.services.snapshots.v1.MountsRequest;
import io.jctr.api.services.snapshots.v1.RemoveSnapshotRequest;
import io.jctr.api.services.snapshots.v1.SnapshotsGrpc;
import io.jctr.api.services.tasks.v1.CreateTaskRequest;
import io.jctr.api.services.tasks.v1.DeleteTaskRequest;
import io.jctr.api.services.tasks.v1.GetRequest;
import io.jctr.api.services.tasks.v1.TasksGrpc;
import io.jctr.api.types.Mount;
import io.jctr.api.types.task.Process;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The containerd calls that several commands make in the same way: stubs with the client's
 * deadline (and one without, for Wait), a container's rootfs mounts, a task that may not
 * exist, and removing a container with its snapshot as {@code ctr containers rm} does.
 */
final class TaskCalls {

    private TaskCalls() {
    }

    static TasksGrpc.TasksBlockingStub tasks(ApiClient api) {
        return TasksGrpc.newBlockingStub(api.channel()).withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS);
    }

    /** For Wait, which lasts as long as the process. */
    static TasksGrpc.TasksBlockingStub tasksUnbounded(ApiClient api) {
        return TasksGrpc.newBlockingStub(api.channel());
    }

    static ContainersGrpc.ContainersBlockingStub containers(ApiClient api) {
        return ContainersGrpc.newBlockingStub(api.channel()).withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS);
    }

    static SnapshotsGrpc.SnapshotsBlockingStub snapshots(ApiClient api) {
        return SnapshotsGrpc.newBlockingStub(api.channel()).withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS);
    }

    static Container container(ApiClient api, String id) {
        return containers(api).get(GetContainerRequest.newBuilder().setId(id).build()).getContainer();
    }

    /** The mounts of the container's snapshot, passed to Tasks.Create as ctr passes them. */
    static List<Mount> rootfs(ApiClient api, Container c) {
        if (c.getSnapshotKey().isEmpty()) {
            return List.of();
        }
        return snapshots(api).mounts(MountsRequest.newBuilder().setSnapshotter(c.getSnapshotter()).setKey(c.getSnapshotKey()).build())
                .getMountsList();
    }

    /** Creates the task of container {@code c} on its snapshot's mounts with {@code stdio}, as ctr's run and tasks start do. */
    static void createTask(ApiClient api, Container c, TaskStdio stdio) {
        tasks(api).create(CreateTaskRequest.newBuilder().setContainerId(c.getId()).addAllRootfs(rootfs(api, c))
                .setStdin(stdio.stdin).setStdout(stdio.stdout).setStderr(stdio.stderr).setTerminal(stdio.terminal).build());
    }

    /** The task of container {@code id} (its init process), or empty when it has none. */
    static Optional<Process> task(ApiClient api, String id) {
        try {
            return Optional.of(tasks(api).get(GetRequest.newBuilder().setContainerId(id).build()).getProcess());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Deletes container {@code id} as {@code ctr containers rm} does: a stopped or created task
     * first, then the snapshot (unless {@code keepSnapshot}), then the record.
     *
     * @throws CliException when the container still has a running or paused task
     */
    static void removeContainer(ApiClient api, String id, boolean keepSnapshot) {
        Container c = container(api, id);
        Optional<Process> task = task(api, id);
        if (task.isPresent()) {
            io.jctr.api.types.task.Status s = task.get().getStatus();
            if (s != io.jctr.api.types.task.Status.STOPPED && s != io.jctr.api.types.task.Status.CREATED) {
                throw new CliException("cannot delete container " + id + ": its task is " + s.name().toLowerCase(java.util.Locale.ROOT)
                        + " (stop it first: jctr tasks kill " + id + ")");
            }
            tasks(api).delete(DeleteTaskRequest.newBuilder().setContainerId(id).build());
        }
        if (!keepSnapshot && !c.getSnapshotKey().isEmpty()) {
            try {
                snapshots(api).remove(RemoveSnapshotRequest.newBuilder().setSnapshotter(c.getSnapshotter()).setKey(c.getSnapshotKey()).build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
            }
        }
        containers(api).delete(DeleteContainerRequest.newBuilder().setId(id).build());
    }
}
