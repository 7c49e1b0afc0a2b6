package io.jctr.core.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.jctr.api.events.TaskCheckpointed;
import io.jctr.api.events.TaskCreate;
import io.jctr.api.events.TaskDelete;
import io.jctr.api.events.TaskExecAdded;
import io.jctr.api.events.TaskExecStarted;
import io.jctr.api.events.TaskExit;
import io.jctr.api.events.TaskIO;
import io.jctr.api.events.TaskOOM;
import io.jctr.api.events.TaskPaused;
import io.jctr.api.events.TaskResumed;
import io.jctr.api.runc.v1.Options;
import io.jctr.api.services.containers.v1.Container;
import io.jctr.core.containers.ContainerService;
import io.jctr.core.grpc.Timestamps;
import io.jctr.core.identifiers.Identifiers;
import io.jctr.core.snapshots.SnapshotService;
import io.jctr.spi.EventPublisher;
import io.jctr.spi.JctrException;
import io.jctr.spi.metrics.CgroupStats;
import io.jctr.spi.runtime.ContainerRuntime;
import io.jctr.spi.runtime.CreateRequest;
import io.jctr.spi.runtime.ExitStatus;
import io.jctr.spi.runtime.ProcessExit;
import io.jctr.spi.runtime.ProcessInfo;
import io.jctr.spi.runtime.ProcessState;
import io.jctr.spi.runtime.RuntimeOptions;
import io.jctr.spi.runtime.Stdio;
import io.jctr.spi.runtime.TaskRef;
import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * containerd's tasks service over the runtime plugins: a task is created from a container record
 * (its spec becomes the bundle's config.json, its runtime name picks the runtime plugin, its
 * snapshot gives the root file system when the client passes no mounts), and every other call
 * goes to the runtime that created it. The runtimes keep tasks across daemon restarts; this
 * service only remembers which runtime holds which task, and asks them again at start.
 *
 * <p>Events follow containerd: {@code /tasks/create|start|delete|exec-added|exec-started|paused|
 * resumed} after the call succeeds, {@code /tasks/exit} from the runtimes' exit listeners,
 * {@code /tasks/oom} from their OOM listeners.
 * Thread-safe; calls block while the runtime works, except {@link #await}.
 */
public final class TaskService {

    private static final Logger LOG = Logger.getLogger(TaskService.class.getName());
    private static final String RUNC_OPTIONS = "containerd.runc.v1.Options";
    private static final ObjectMapper SPEC_READER = new ObjectMapper();

    private final ContainerService containers;
    private final SnapshotService snapshots;
    private final Map<String, ContainerRuntime> runtimes;
    private final EventPublisher events;
    private final TaskBundles bundles;
    private final Map<TaskRef, ContainerRuntime> owners = new ConcurrentHashMap<>();
    private final Set<TaskRef> creating = ConcurrentHashMap.newKeySet();

    public TaskService(ContainerService containers, SnapshotService snapshots, Map<String, ContainerRuntime> runtimes,
                       EventPublisher events, Path bundles) {
        this.containers = containers;
        this.snapshots = snapshots;
        this.runtimes = Map.copyOf(runtimes);
        this.events = events;
        this.bundles = new TaskBundles(bundles);
        for (var e : this.runtimes.entrySet()) {
            e.getValue().addExitListener(this::exited);
            e.getValue().addOomListener(this::outOfMemory);
            try {
                e.getValue().tasks().forEach(t -> owners.put(t, e.getValue()));
            } catch (IOException x) {
                LOG.log(Level.WARNING, "runtime " + e.getKey() + " cannot list its tasks: " + x.getMessage(), x);
            }
        }
    }

    /** Creates the task of container {@code id}; returns the init process's pid. */
    public int create(String ns, String id, List<Mount> rootfs, Stdio stdio, Any options) {
        Identifiers.validate("container id", id);
        TaskRef ref = new TaskRef(ns, id);
        Container c = containers.get(ns, id);
        ContainerRuntime runtime = RuntimeNames.resolve(c.getRuntime().getName(), runtimes);
        RuntimeOptions runtimeOptions = runtimeOptions(options.getTypeUrl().isEmpty() ? c.getRuntime().getOptions() : options);
        if (owners.containsKey(ref) || !creating.add(ref)) {
            throw JctrException.alreadyExists("task %s", id);
        }
        try {
            List<Mount> mounts = rootfs.isEmpty() ? snapshotMounts(ns, c) : rootfs;
            Path bundle = io(() -> bundles.write(ref, c.getSpec().getValue().toByteArray()), "write the bundle of task " + id);
            int pid;
            try {
                pid = runtime.create(new CreateRequest(ref, bundle, mounts, stdio, runtimeOptions));
            } catch (IOException | RuntimeException e) {
                try {
                    bundles.remove(ref);
                } catch (IOException x) {
                    e.addSuppressed(x);
                }
                throw e instanceof IOException io ? unknown("failed to create task " + id, io) : (RuntimeException) e;
            }
            owners.put(ref, runtime);
            events.publish(ns, "/tasks/create", TaskCreate.newBuilder().setContainerId(id).setBundle(bundle.toString())
                    .addAllRootfs(mounts.stream().map(TaskService::proto).toList())
                    .setIo(TaskIO.newBuilder().setStdin(stdio.stdin()).setStdout(stdio.stdout()).setStderr(stdio.stderr())
                            .setTerminal(stdio.terminal()))
                    .setPid(pid).build());
            return pid;
        } finally {
            creating.remove(ref);
        }
    }

    /** The mounts of the container's snapshot, for a client that sends none (jctr's own run does not). */
    private List<Mount> snapshotMounts(String ns, Container c) {
        if (c.getSnapshotKey().isEmpty()) {
            if (rootPathIsAbsolute(c)) {
                return List.of();
            }
            throw JctrException.failedPrecondition(
                    "container \"%s\" has no snapshot and the request no rootfs mounts: nothing to run it on", c.getId());
        }
        return io(() -> snapshots.mounts(ns, c.getSnapshotter(), c.getSnapshotKey()),
                "mounts of snapshot " + c.getSnapshotKey() + " of container " + c.getId());
    }

    /** A spec whose root.path is absolute needs no mounts (ctr run --rootfs); a malformed one is the runtime's to reject. */
    private static boolean rootPathIsAbsolute(Container c) {
        try {
            return SPEC_READER.readTree(c.getSpec().getValue().toByteArray()).path("root").path("path").asText("").startsWith("/");
        } catch (IOException e) {
            return false;
        }
    }

    private static RuntimeOptions runtimeOptions(Any options) {
        if (options.getTypeUrl().isEmpty()) {
            return RuntimeOptions.defaults();
        }
        if (!options.getTypeUrl().endsWith(RUNC_OPTIONS)) {
            throw JctrException.invalidArgument("runtime options of type %s are not supported (want %s)",
                    options.getTypeUrl(), RUNC_OPTIONS);
        }
        try {
            Options o = Options.parseFrom(options.getValue());
            return new RuntimeOptions(o.getBinaryName(), o.getRoot());
        } catch (InvalidProtocolBufferException e) {
            throw JctrException.invalidArgument("malformed runtime options: %s", e.getMessage());
        }
    }

    /** Starts the init process ({@code execId} empty) or an exec process; returns its pid. */
    public int start(String ns, String id, String execId) {
        TaskRef ref = ref(ns, id);
        int pid = io(() -> owner(ref).start(ref, execId), "failed to start " + what(id, execId));
        if (execId.isEmpty()) {
            events.publish(ns, "/tasks/start", io.jctr.api.events.TaskStart.newBuilder().setContainerId(id).setPid(pid).build());
        } else {
            events.publish(ns, "/tasks/exec-started",
                    TaskExecStarted.newBuilder().setContainerId(id).setExecId(execId).setPid(pid).build());
        }
        return pid;
    }

    /** Deletes a stopped task: its container process state, rootfs mounts and bundle. */
    public ExitStatus delete(String ns, String id) {
        TaskRef ref = ref(ns, id);
        ContainerRuntime runtime = owner(ref);
        ExitStatus exit = io(() -> runtime.delete(ref, ""), "failed to delete task " + id);
        owners.remove(ref, runtime);
        try {
            bundles.remove(ref);
        } catch (IOException e) {
            LOG.warning("task " + ref + " deleted, but its bundle stays: " + e.getMessage());
        }
        events.publish(ns, "/tasks/delete", TaskDelete.newBuilder().setContainerId(id).setId(id).setPid(exit.pid())
                .setExitStatus(exit.code()).setExitedAt(Timestamps.of(exit.exitedAt())).build());
        return exit;
    }

    /** Deletes a stopped exec process. */
    public ExitStatus deleteProcess(String ns, String id, String execId) {
        TaskRef ref = ref(ns, id);
        if (execId.isEmpty()) {
            throw JctrException.invalidArgument("exec id of a process of task %s must not be empty (delete the task instead)", id);
        }
        return io(() -> owner(ref).delete(ref, execId), "failed to delete " + what(id, execId));
    }

    public ProcessState get(String ns, String id, String execId) {
        TaskRef ref = ref(ns, id);
        return io(() -> owner(ref).state(ref, execId), "state of " + what(id, execId));
    }

    /** The init processes of the namespace's tasks. */
    public List<ProcessState> list(String ns) {
        List<ProcessState> out = new ArrayList<>();
        for (var e : owners.entrySet()) {
            if (e.getKey().namespace().equals(ns)) {
                try {
                    out.add(e.getValue().state(e.getKey(), ""));
                } catch (IOException | JctrException x) {
                    // Deleted meanwhile, or unreadable: not listed, as containerd skips tasks it cannot load.
                    LOG.fine(() -> "task " + e.getKey() + " not listed: " + x.getMessage());
                }
            }
        }
        return out;
    }

    public void kill(String ns, String id, String execId, int signal, boolean all) {
        TaskRef ref = ref(ns, id);
        io(() -> {
            owner(ref).kill(ref, execId, signal, all);
            return null;
        }, "failed to kill " + what(id, execId));
    }

    /** Adds exec process {@code execId} running {@code processJson} (the spec's process object). */
    public void exec(String ns, String id, String execId, String processJson, Stdio stdio) {
        TaskRef ref = ref(ns, id);
        io(() -> {
            owner(ref).exec(ref, execId, processJson, stdio);
            return null;
        }, "failed to exec " + what(id, execId));
        events.publish(ns, "/tasks/exec-added", TaskExecAdded.newBuilder().setContainerId(id).setExecId(execId).build());
    }

    public void resizePty(String ns, String id, String execId, int width, int height) {
        TaskRef ref = ref(ns, id);
        if (width == 0 || height == 0) {
            // ctr sends its own size right after start: 0x0 where its terminal has none (script, CI).
            // containerd applies it and the kernel keeps "unknown"; a runtime takes only real sizes.
            owner(ref);
            return;
        }
        io(() -> {
            owner(ref).resizePty(ref, execId, width, height);
            return null;
        }, "failed to resize the terminal of " + what(id, execId));
    }

    public void closeIO(String ns, String id, String execId) {
        TaskRef ref = ref(ns, id);
        io(() -> {
            owner(ref).closeIO(ref, execId);
            return null;
        }, "failed to close the stdin of " + what(id, execId));
    }

    public void pause(String ns, String id) {
        TaskRef ref = ref(ns, id);
        io(() -> {
            owner(ref).pause(ref);
            return null;
        }, "failed to pause task " + id);
        events.publish(ns, "/tasks/paused", TaskPaused.newBuilder().setContainerId(id).build());
    }

    public void resume(String ns, String id) {
        TaskRef ref = ref(ns, id);
        io(() -> {
            owner(ref).resume(ref);
            return null;
        }, "failed to resume task " + id);
        events.publish(ns, "/tasks/resumed", TaskResumed.newBuilder().setContainerId(id).build());
    }

    public List<ProcessInfo> pids(String ns, String id) {
        TaskRef ref = ref(ns, id);
        return io(() -> owner(ref).pids(ref), "failed to list the processes of task " + id);
    }

    /** Applies {@code resourcesJson} (the spec's linux.resources object) to a live task. */
    public void update(String ns, String id, String resourcesJson) {
        TaskRef ref = ref(ns, id);
        io(() -> {
            owner(ref).update(ref, resourcesJson);
            return null;
        }, "failed to update task " + id);
    }

    /** The cgroup statistics of the task. */
    public CgroupStats stats(String ns, String id) {
        TaskRef ref = ref(ns, id);
        return io(() -> owner(ref).stats(ref), "failed to read the metrics of task " + id);
    }

    /** The ids of the namespace's tasks. */
    public List<String> ids(String ns) {
        return owners.keySet().stream().filter(r -> r.namespace().equals(ns)).map(TaskRef::id).sorted().toList();
    }

    /** Checkpoints the task into {@code imageDir}. */
    public void checkpoint(String ns, String id, Path imageDir, boolean exit) {
        TaskRef ref = ref(ns, id);
        io(() -> {
            owner(ref).checkpoint(ref, imageDir, exit);
            return null;
        }, "failed to checkpoint task " + id);
        events.publish(ns, "/tasks/checkpointed", TaskCheckpointed.newBuilder().setContainerId(id).build());
    }

    /** Completes with the process's exit status when it exits (containerd's Wait). */
    public CompletableFuture<ExitStatus> await(String ns, String id, String execId) {
        TaskRef ref = ref(ns, id);
        return owner(ref).onExit(ref, execId);
    }

    private void exited(ProcessExit e) {
        ExitStatus s = e.status();
        events.publish(e.task().namespace(), "/tasks/exit", TaskExit.newBuilder().setContainerId(e.task().id()).setId(e.id())
                .setPid(s.pid()).setExitStatus(s.code()).setExitedAt(Timestamps.of(s.exitedAt())).build());
    }

    private void outOfMemory(TaskRef task) {
        events.publish(task.namespace(), "/tasks/oom", TaskOOM.newBuilder().setContainerId(task.id()).build());
    }

    private static TaskRef ref(String ns, String id) {
        Identifiers.validate("container id", id);
        return new TaskRef(ns, id);
    }

    private ContainerRuntime owner(TaskRef ref) {
        ContainerRuntime r = owners.get(ref);
        if (r == null) {
            throw JctrException.notFound("task %s", ref.id());
        }
        return r;
    }

    private static String what(String id, String execId) {
        return execId.isEmpty() ? "task " + id : "exec " + execId + " of task " + id;
    }

    private static io.jctr.api.types.Mount proto(Mount m) {
        return io.jctr.api.types.Mount.newBuilder().setType(m.type()).setSource(m.source()).setTarget(m.target())
                .addAllOptions(m.options()).build();
    }

    /** A call into a runtime or the storage whose {@link IOException} answers UNKNOWN, prefixed with what failed. */
    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T io(IoCall<T> call, String what) {
        try {
            return call.call();
        } catch (IOException e) {
            throw unknown(what, e);
        }
    }

    private static JctrException unknown(String what, IOException e) {
        return new JctrException(JctrException.Kind.UNKNOWN, what + ": " + (e.getMessage() == null ? e : e.getMessage()), e);
    }

    /** The process spec JSON a client sent as an Any (its bytes are the JSON text, as containerd's typeurl stores it). */
    static String json(Any any, String what) {
        if (any.getValue().isEmpty()) {
            throw JctrException.invalidArgument("%s: missing", what);
        }
        return any.getValue().toString(StandardCharsets.UTF_8);
    }
}
