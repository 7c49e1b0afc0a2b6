package io.jctr.core.tasks;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.jctr.api.runc.v1.CheckpointOptions;
import io.jctr.api.runc.v1.ProcessDetails;
import io.jctr.api.services.tasks.v1.CheckpointTaskRequest;
import io.jctr.api.services.tasks.v1.CheckpointTaskResponse;
import io.jctr.api.services.tasks.v1.CloseIORequest;
import io.jctr.api.services.tasks.v1.CreateTaskRequest;
import io.jctr.api.services.tasks.v1.CreateTaskResponse;
import io.jctr.api.services.tasks.v1.DeleteProcessRequest;
import io.jctr.api.services.tasks.v1.DeleteResponse;
import io.jctr.api.services.tasks.v1.DeleteTaskRequest;
import io.jctr.api.services.tasks.v1.ExecProcessRequest;
import io.jctr.api.services.tasks.v1.GetRequest;
import io.jctr.api.services.tasks.v1.GetResponse;
import io.jctr.api.services.tasks.v1.KillRequest;
import io.jctr.api.services.tasks.v1.ListPidsRequest;
import io.jctr.api.services.tasks.v1.ListPidsResponse;
import io.jctr.api.services.tasks.v1.ListTasksRequest;
import io.jctr.api.services.tasks.v1.ListTasksResponse;
import io.jctr.api.services.tasks.v1.MetricsRequest;
import io.jctr.api.services.tasks.v1.MetricsResponse;
import io.jctr.api.services.tasks.v1.PauseTaskRequest;
import io.jctr.api.services.tasks.v1.ResizePtyRequest;
import io.jctr.api.services.tasks.v1.ResumeTaskRequest;
import io.jctr.api.services.tasks.v1.StartRequest;
import io.jctr.api.services.tasks.v1.StartResponse;
import io.jctr.api.services.tasks.v1.TasksGrpc;
import io.jctr.api.services.tasks.v1.UpdateTaskRequest;
import io.jctr.api.services.tasks.v1.WaitRequest;
import io.jctr.api.services.tasks.v1.WaitResponse;
import io.jctr.api.types.Metric;
import io.jctr.api.types.task.Process;
import io.jctr.api.types.task.ProcessInfo;
import io.jctr.api.types.task.Status;
import io.jctr.core.filters.Filter;
import io.jctr.core.filters.FilterParser;
import io.jctr.core.grpc.GrpcErrors;
import io.jctr.core.grpc.RequestNamespace;
import io.jctr.core.grpc.Timestamps;
import io.jctr.core.grpc.Unary;
import io.jctr.spi.JctrException;
import io.jctr.spi.metrics.CgroupStats;
import io.jctr.spi.runtime.ExitStatus;
import io.jctr.spi.runtime.ProcessState;
import io.jctr.spi.runtime.Stdio;
import io.jctr.spi.snapshots.Mount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@code containerd.services.tasks.v1.Tasks}: translation only, logic in {@link TaskService}. */
final class TasksGrpcService extends TasksGrpc.TasksImplBase {

    private static final String CHECKPOINT_OPTIONS = "containerd.runc.v1.CheckpointOptions";
    private static final String PROCESS_DETAILS = "containerd.runc.v1.ProcessDetails";

    private final TaskService tasks;

    TasksGrpcService(TaskService tasks) {
        this.tasks = tasks;
    }

    @Override
    public void create(CreateTaskRequest r, StreamObserver<CreateTaskResponse> o) {
        Unary.respond(o, () -> {
            if (r.hasCheckpoint() && !r.getCheckpoint().getDigest().isEmpty()) {
                throw new JctrException(JctrException.Kind.NOT_IMPLEMENTED, "restoring task " + r.getContainerId()
                        + " from a checkpoint");
            }
            List<Mount> rootfs = r.getRootfsList().stream()
                    .map(m -> new Mount(m.getType(), m.getSource(), m.getTarget(), m.getOptionsList())).toList();
            int pid = tasks.create(RequestNamespace.current(), r.getContainerId(), rootfs,
                    new Stdio(r.getStdin(), r.getStdout(), r.getStderr(), r.getTerminal()), r.getOptions());
            return CreateTaskResponse.newBuilder().setContainerId(r.getContainerId()).setPid(pid).build();
        });
    }

    @Override
    public void start(StartRequest r, StreamObserver<StartResponse> o) {
        Unary.respond(o, () -> StartResponse.newBuilder()
                .setPid(tasks.start(RequestNamespace.current(), r.getContainerId(), r.getExecId())).build());
    }

    @Override
    public void delete(DeleteTaskRequest r, StreamObserver<DeleteResponse> o) {
        // containerd leaves id empty in this reply.
        Unary.respond(o, () -> deleted("", tasks.delete(RequestNamespace.current(), r.getContainerId())));
    }

    @Override
    public void deleteProcess(DeleteProcessRequest r, StreamObserver<DeleteResponse> o) {
        Unary.respond(o, () -> deleted(r.getExecId(),
                tasks.deleteProcess(RequestNamespace.current(), r.getContainerId(), r.getExecId())));
    }

    private static DeleteResponse deleted(String id, ExitStatus s) {
        return DeleteResponse.newBuilder().setId(id).setPid(s.pid()).setExitStatus(s.code())
                .setExitedAt(Timestamps.of(s.exitedAt())).build();
    }

    @Override
    public void get(GetRequest r, StreamObserver<GetResponse> o) {
        Unary.respond(o, () -> GetResponse.newBuilder()
                .setProcess(process(tasks.get(RequestNamespace.current(), r.getContainerId(), r.getExecId()))).build());
    }

    @Override
    public void list(ListTasksRequest r, StreamObserver<ListTasksResponse> o) {
        Unary.respond(o, () -> {
            Filter filter = r.getFilter().isEmpty() ? Filter.ALL : FilterParser.parse(r.getFilter());
            ListTasksResponse.Builder b = ListTasksResponse.newBuilder();
            for (ProcessState s : tasks.list(RequestNamespace.current())) {
                Process p = process(s);
                if (filter.test(Filter.adaptor(f -> switch (f) {
                    case "id", "container_id" -> p.getId();
                    case "status" -> p.getStatus().name().toLowerCase(java.util.Locale.ROOT);
                    case "pid" -> Integer.toString(p.getPid());
                    default -> null;
                }, java.util.Map.of()))) {
                    b.addTasks(p);
                }
            }
            return b.build();
        });
    }

    static Process process(ProcessState s) {
        Process.Builder b = Process.newBuilder().setId(s.id()).setPid(s.pid()).setStatus(status(s))
                .setStdin(s.stdio().stdin()).setStdout(s.stdio().stdout()).setStderr(s.stdio().stderr())
                .setTerminal(s.stdio().terminal());
        if (s.exitStatus() != null) {
            b.setExitStatus(s.exitStatus().code()).setExitedAt(Timestamps.of(s.exitStatus().exitedAt()));
        }
        return b.build();
    }

    private static Status status(ProcessState s) {
        return switch (s.status()) {
            case CREATED -> Status.CREATED;
            case RUNNING -> Status.RUNNING;
            case PAUSED -> Status.PAUSED;
            case STOPPED -> Status.STOPPED;
            case UNKNOWN -> Status.UNKNOWN;
        };
    }

    @Override
    public void kill(KillRequest r, StreamObserver<Empty> o) {
        Unary.respond(o, () -> {
            tasks.kill(RequestNamespace.current(), r.getContainerId(), r.getExecId(), r.getSignal(), r.getAll());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void exec(ExecProcessRequest r, StreamObserver<Empty> o) {
        Unary.respond(o, () -> {
            if (r.getExecId().isEmpty()) {
                throw JctrException.invalidArgument("exec id of a process of task %s must not be empty", r.getContainerId());
            }
            tasks.exec(RequestNamespace.current(), r.getContainerId(), r.getExecId(),
                    TaskService.json(r.getSpec(), "process spec of exec " + r.getExecId()),
                    new Stdio(r.getStdin(), r.getStdout(), r.getStderr(), r.getTerminal()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void resizePty(ResizePtyRequest r, StreamObserver<Empty> o) {
        Unary.respond(o, () -> {
            tasks.resizePty(RequestNamespace.current(), r.getContainerId(), r.getExecId(), r.getWidth(), r.getHeight());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void closeIO(CloseIORequest r, StreamObserver<Empty> o) {
        Unary.respond(o, () -> {
            if (r.getStdin()) {
                tasks.closeIO(RequestNamespace.current(), r.getContainerId(), r.getExecId());
            }
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void pause(PauseTaskRequest r, StreamObserver<Empty> o) {
        Unary.respond(o, () -> {
            tasks.pause(RequestNamespace.current(), r.getContainerId());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void resume(ResumeTaskRequest r, StreamObserver<Empty> o) {
        Unary.respond(o, () -> {
            tasks.resume(RequestNamespace.current(), r.getContainerId());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void listPids(ListPidsRequest r, StreamObserver<ListPidsResponse> o) {
        Unary.respond(o, () -> {
            ListPidsResponse.Builder b = ListPidsResponse.newBuilder();
            for (var p : tasks.pids(RequestNamespace.current(), r.getContainerId())) {
                ProcessInfo.Builder info = ProcessInfo.newBuilder().setPid(p.pid());
                if (!p.execId().isEmpty()) {
                    info.setInfo(Any.newBuilder().setTypeUrl(PROCESS_DETAILS)
                            .setValue(ProcessDetails.newBuilder().setExecId(p.execId()).build().toByteString()));
                }
                b.addProcesses(info);
            }
            return b.build();
        });
    }

    @Override
    public void update(UpdateTaskRequest r, StreamObserver<Empty> o) {
        Unary.respond(o, () -> {
            tasks.update(RequestNamespace.current(), r.getContainerId(),
                    TaskService.json(r.getResources(), "resources of task " + r.getContainerId()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void metrics(MetricsRequest r, StreamObserver<MetricsResponse> o) {
        Unary.respond(o, () -> {
            String ns = RequestNamespace.current();
            Filter filter = FilterParser.parse(r.getFiltersList());
            MetricsResponse.Builder b = MetricsResponse.newBuilder();
            for (String id : tasks.ids(ns)) {
                if (!filter.test(Filter.adaptor(f -> f.equals("id") ? id : null, java.util.Map.of()))) {
                    continue;
                }
                CgroupStats stats;
                try {
                    stats = tasks.stats(ns, id);
                } catch (JctrException e) {
                    if (e.kind() == JctrException.Kind.NOT_FOUND) {
                        continue; // deleted meanwhile, or its cgroup is gone
                    }
                    throw e;
                }
                b.addMetrics(Metric.newBuilder().setId(id).setTimestamp(Timestamps.of(stats.timestamp()))
                        .setData(CgroupMetrics.encode(stats)));
            }
            return b.build();
        });
    }

    @Override
    public void checkpoint(CheckpointTaskRequest r, StreamObserver<CheckpointTaskResponse> o) {
        Unary.respond(o, () -> {
            CheckpointOptions options = CheckpointOptions.getDefaultInstance();
            if (r.hasOptions() && !r.getOptions().getTypeUrl().isEmpty()) {
                if (!r.getOptions().getTypeUrl().endsWith(CHECKPOINT_OPTIONS)) {
                    throw JctrException.invalidArgument("checkpoint options of type %s are not supported (want %s)",
                            r.getOptions().getTypeUrl(), CHECKPOINT_OPTIONS);
                }
                try {
                    options = CheckpointOptions.parseFrom(r.getOptions().getValue());
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw JctrException.invalidArgument("malformed checkpoint options: %s", e.getMessage());
                }
            }
            if (options.getImagePath().isEmpty()) {
                // containerd then packs the images into the content store; jctr writes them only where the client says.
                throw new JctrException(JctrException.Kind.NOT_IMPLEMENTED, "checkpoint of task " + r.getContainerId()
                        + " without an image path (set CheckpointOptions.image_path, ctr's --image-path)");
            }
            Path dir = Path.of(options.getImagePath());
            if (!dir.isAbsolute()) {
                throw JctrException.invalidArgument("checkpoint image path %s must be absolute", dir);
            }
            try {
                Files.createDirectories(dir);
            } catch (java.io.IOException e) {
                throw JctrException.invalidArgument("checkpoint image path %s: %s", dir, e.getMessage());
            }
            tasks.checkpoint(RequestNamespace.current(), r.getContainerId(), dir, options.getExit());
            return CheckpointTaskResponse.getDefaultInstance();
        });
    }

    @Override
    public void wait(WaitRequest r, StreamObserver<WaitResponse> o) {
        CompletableFuture<ExitStatus> exit;
        try {
            exit = tasks.await(RequestNamespace.current(), r.getContainerId(), r.getExecId());
        } catch (RuntimeException e) {
            o.onError(GrpcErrors.toStatus(e));
            return;
        }
        exit.whenComplete((s, t) -> {
            if (t != null) {
                o.onError(GrpcErrors.toStatus(t instanceof CompletionException c && c.getCause() != null ? c.getCause() : t));
            } else {
                o.onNext(WaitResponse.newBuilder().setExitStatus(s.code()).setExitedAt(Timestamps.of(s.exitedAt())).build());
                o.onCompleted();
            }
        });
    }
}
