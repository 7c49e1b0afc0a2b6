package io.jctr.plugins.runtime.linux.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.cgroups.CgroupLayout;
import io.jctr.plugins.runtime.linux.container.ContainerRecord;
import io.jctr.plugins.runtime.linux.container.ContainerStatus;
import io.jctr.plugins.runtime.linux.container.CreateOptions;
import io.jctr.plugins.runtime.linux.container.ExecOptions;
import io.jctr.plugins.runtime.linux.container.GoJson;
import io.jctr.plugins.runtime.linux.container.LinuxContainers;
import io.jctr.plugins.runtime.linux.container.ProcStat;
import io.jctr.plugins.runtime.linux.container.Signals;
import io.jctr.plugins.runtime.linux.container.StateDirectory;
import io.jctr.plugins.runtime.linux.launch.Launched;
import io.jctr.plugins.runtime.linux.launch.Syscalls;
import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.plugins.runtime.linux.spec.SpecParser;
import io.jctr.spi.JctrException;
import io.jctr.spi.metrics.CgroupStats;
import io.jctr.spi.runtime.ContainerRuntime;
import io.jctr.spi.runtime.CreateRequest;
import io.jctr.spi.runtime.ExitStatus;
import io.jctr.spi.runtime.ProcessExit;
import io.jctr.spi.runtime.ProcessInfo;
import io.jctr.spi.runtime.ProcessState;
import io.jctr.spi.runtime.ProcessStatus;
import io.jctr.spi.runtime.Stdio;
import io.jctr.spi.runtime.TaskRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The native runtime as a {@link ContainerRuntime}, in-process and without a shim: each task is
 * a container of {@link LinuxContainers} (container id = task id) whose state lives in
 * {@code <state>/<namespace>/<id>}, next to this runtime's own {@link TaskFiles}.
 *
 * <p><b>Exits.</b> This JVM becomes a child subreaper and reaps each container process with a
 * dedicated {@code waitpid} ({@link ExitWatcher} explains the choice). An observed exit is
 * written to the process's file first, then the {@link #onExit} futures complete and the exit
 * listeners are called on one dispatcher thread, in observation order.
 *
 * <p><b>Restart.</b> The design's shim, which would keep exit codes while the daemon is down,
 * does not exist yet. A new instance re-attaches to every task found in the state directory:
 * a process that is still alive (same pid and start time) is watched through {@code /proc} and
 * reported {@code STOPPED} with code 255 when it goes, since its code is lost to a process that
 * is not its parent; a process whose exit was recorded before the restart is {@code STOPPED}
 * with that status; one that died unobserved is {@code UNKNOWN}, its {@link #onExit} completes
 * with code 255 and {@link #delete} reports 255. What lived only in the old JVM is gone with
 * it: the held stdio FIFO ends (a re-attached process's stdin ends when the client closes its
 * end; {@link #closeIO} is then a no-op) and a terminal's relay (its output is lost, and
 * {@link #resizePty} is a no-op).
 *
 * <p><b>Stdio.</b> Paths and {@code file://} URIs; {@code binary://} loggers are refused. A
 * terminal's pty master arrives on a console socket under {@code <state>/.consoles} and is
 * relayed to the stdin and stdout paths ({@link TaskStdio}).
 *
 * <p>Nothing native happens until the first {@link #create}: construction only reads files.
 * Thread-safe: operations on one task are serialised on its {@link Task}.
 */
public final class LinuxRuntime implements ContainerRuntime, AutoCloseable {

    private static final Pattern EXEC_ID = Pattern.compile("[A-Za-z0-9]+([._-][A-Za-z0-9]+)*");
    private static final long DELETE_WAIT_MILLIS = 10_000;
    private static final int UNKNOWN_EXIT = 255;
    private static final ObjectMapper MAPPER = GoJson.MAPPER;
    private static final AtomicLong CONSOLES = new AtomicLong(System.nanoTime() & 0xffffff);

    private final Path state;
    private final Consumer<String> warnings;
    private final Map<String, LinuxContainers> namespaces = new ConcurrentHashMap<>();
    private final Map<TaskRef, Task> tasks = new ConcurrentHashMap<>();
    private final Set<TaskRef> creating = ConcurrentHashMap.newKeySet();
    private final List<Consumer<ProcessExit>> listeners = new CopyOnWriteArrayList<>();
    private final ExitWatcher watcher = new ExitWatcher();
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jctr-runtime-exits");
        t.setDaemon(true);
        return t;
    });
    private boolean subreaper;
    private volatile int cgroupVersion;
    private volatile boolean closed;

    /**
     * A runtime keeping its state under {@code state}; re-attaches to the tasks found there.
     * Warnings (e.g. a task that cannot be re-attached) go to {@code warnings}.
     */
    public LinuxRuntime(Path state, Consumer<String> warnings) throws IOException {
        this.state = state.toAbsolutePath().normalize();
        this.warnings = warnings;
        reattachAll();
    }

    // ---- life cycle ---------------------------------------------------------------------

    @Override
    public int create(CreateRequest request) throws IOException {
        TaskRef ref = request.task();
        if (tasks.containsKey(ref) || !creating.add(ref)) {
            throw JctrException.alreadyExists("task %s", ref);
        }
        try {
            Task task = createTask(request);
            tasks.put(ref, task);
            return task.init.pid;
        } finally {
            creating.remove(ref);
        }
    }

    private Task createTask(CreateRequest r) throws IOException {
        TaskRef ref = r.task();
        LinuxContainers containers = containers(ref.namespace());
        if (containers.store().exists(ref.id())) {
            throw JctrException.alreadyExists("task %s", ref);
        }
        Path bundle = r.bundle().normalize();
        if (!Files.isRegularFile(bundle.resolve("config.json"))) {
            throw JctrException.invalidArgument("bundle %s of task %s has no config.json", bundle, ref);
        }
        checkTerminal(bundle, r.stdio(), ref);
        TaskStdio stdio = TaskStdio.open(r.stdio(), "task " + ref, consoleSocketPath());
        Path rootfs = bundle.resolve("rootfs");
        List<String> mounted = List.of();
        int pid = 0;
        try {
            becomeSubreaper();
            if (!r.rootfs().isEmpty()) {
                Files.createDirectories(rootfs);
                RootfsMounter.mount(r.rootfs(), rootfs);
                mounted = RootfsMounter.targets(r.rootfs());
            }
            // Namespaced like containerd's default, so equal ids in two namespaces never share a cgroup.
            Launched launched = containers.create(new CreateOptions(ref.id(), bundle, null,
                    stdio.consoleSocket(), false, 0, false, false, stdio.paths(),
                    "/jctr/" + ref.namespace() + "/" + ref.id()));
            pid = launched.pid();
            stdio.attachTerminal();
            ContainerRecord record = containers.record(ref.id());
            TaskProcess init = new TaskProcess(ref.id(), r.stdio(), null);
            init.pid = pid;
            init.startTime = record.pidStartTime();
            init.held = stdio;
            Task task = new Task(ref, containers, bundle, mounted, init);
            TaskFiles.write(task.dir(), new TaskFiles.TaskFile(bundle.toString(), mounted));
            TaskFiles.write(task.dir(), init.file());
            watcher.watchChild(pid, init.startTime, "task " + ref, code -> exited(task, init, code));
            return task;
        } catch (IOException | RuntimeException e) {
            if (pid > 0) {
                // Reap the init the forced delete kills; nobody else will.
                watcher.watchChild(pid, 0, "failed task " + ref, code -> { });
                try {
                    containers.delete(ref.id(), true);
                } catch (IOException | RuntimeException x) {
                    e.addSuppressed(x);
                }
            }
            stdio.close();
            RootfsMounter.unmount(rootfs, mounted, e);
            throw e;
        }
    }

    /** A terminal in the spec without one in the stdio (or the reverse) cannot work: refuse it early. */
    private static void checkTerminal(Path bundle, Stdio stdio, TaskRef ref) throws IOException {
        boolean terminal;
        try {
            terminal = MAPPER.readTree(bundle.resolve("config.json").toFile()).path("process").path("terminal")
                    .asBoolean(false);
        } catch (JsonProcessingException e) {
            throw JctrException.invalidArgument("config.json of task %s: malformed json: %s", ref, e.getOriginalMessage());
        }
        if (terminal != stdio.terminal()) {
            throw JctrException.invalidArgument("task %s: process.terminal is %s but the stdio's terminal is %s",
                    ref, terminal, stdio.terminal());
        }
    }

    @Override
    public int start(TaskRef ref, String execId) throws IOException {
        Task task = task(ref);
        synchronized (task) {
            TaskProcess p = process(task, execId);
            return p == task.init ? startInit(task) : startExec(task, p);
        }
    }

    private int startInit(Task task) throws IOException {
        TaskProcess init = task.init;
        ProcessStatus s = status(task, init);
        if (s != ProcessStatus.CREATED) {
            throw JctrException.failedPrecondition("cannot start task %s: it is %s", task.ref, text(s));
        }
        try {
            task.containers.start(task.ref.id());
        } catch (JctrException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            Syscalls.kill(init.pid, Signals.SIGKILL);
            throw e;
        }
        return init.pid;
    }

    private int startExec(Task task, TaskProcess p) throws IOException {
        if (p.launched || p.finished()) {
            throw JctrException.failedPrecondition("cannot start exec %s of task %s: it is %s", p.id, task.ref,
                    text(status(task, p)));
        }
        ProcessStatus s = status(task, task.init);
        if (s != ProcessStatus.RUNNING) {
            throw JctrException.failedPrecondition("cannot start exec %s: task %s is %s", p.id, task.ref, text(s));
        }
        if (p.held == null) {
            p.held = TaskStdio.open(p.stdio, "exec " + p.id + " of task " + task.ref, consoleSocketPath());
        }
        Launched launched;
        try {
            launched = task.containers.exec(task.ref.id(), p.processJson.getBytes(StandardCharsets.UTF_8),
                    new ExecOptions(p.held.consoleSocket(), null, true, 0, false, Map.of(), p.held.paths()));
            p.pid = launched.pid();
            p.held.attachTerminal();
        } catch (IOException | RuntimeException e) {
            // The SPI: a process whose start failed is stopped.
            p.launched = true;
            p.exit = new ExitStatus(p.pid, UNKNOWN_EXIT, Instant.now());
            p.release();
            p.exited.complete(p.exit);
            writeQuietly(task, p);
            if (p.pid > 0) {
                Syscalls.kill(p.pid, Signals.SIGKILL);
                watcher.watchChild(p.pid, 0, "failed exec " + p.id, code -> { });
            }
            throw e;
        }
        p.startTime = ProcStat.of(p.pid).map(ProcStat::startTime).orElse(0L);
        p.launched = true;
        TaskFiles.write(task.dir(), p.file());
        watcher.watchChild(p.pid, p.startTime, "exec " + p.id + " of task " + task.ref, code -> exited(task, p, code));
        return p.pid;
    }

    @Override
    public void exec(TaskRef ref, String execId, String processJson, Stdio stdio) throws IOException {
        if (execId == null || execId.isEmpty()) {
            throw JctrException.invalidArgument("exec id of a process of task %s must not be empty", ref);
        }
        if (!EXEC_ID.matcher(execId).matches()) {
            throw JctrException.invalidArgument("exec id %s of task %s is not an identifier", execId, ref);
        }
        Stdio io = stdio == null ? Stdio.none() : stdio;
        Task task = task(ref);
        synchronized (task) {
            if (execId.equals(ref.id()) || task.execs.containsKey(execId)) {
                throw JctrException.alreadyExists("exec %s of task %s", execId, ref);
            }
            ProcessStatus s = status(task, task.init);
            if (s != ProcessStatus.RUNNING) {
                throw JctrException.failedPrecondition("cannot exec in task %s: it is %s", ref, text(s));
            }
            checkProcess(task, execId, processJson, io);
            TaskProcess p = new TaskProcess(execId, io, processJson);
            p.held = TaskStdio.open(io, "exec " + execId + " of task " + ref, consoleSocketPath());
            task.execs.put(execId, p);
            TaskFiles.write(task.dir(), p.file());
        }
    }

    /** Validates an exec's process the way its start will plan it: within the container's spec. */
    private static void checkProcess(Task task, String execId, String processJson, Stdio stdio) throws IOException {
        JsonNode process;
        try {
            process = processJson == null ? null : MAPPER.readTree(processJson);
        } catch (JsonProcessingException e) {
            throw JctrException.invalidArgument("process of exec %s: malformed json: %s", execId, e.getOriginalMessage());
        }
        if (process == null || !process.isObject()) {
            throw JctrException.invalidArgument("process of exec %s: expected an object", execId);
        }
        boolean terminal = process.path("terminal").asBoolean(false);
        if (terminal != stdio.terminal()) {
            throw JctrException.invalidArgument("process of exec %s: terminal is %s but the stdio's is %s",
                    execId, terminal, stdio.terminal());
        }
        ObjectNode spec = (ObjectNode) MAPPER.readTree(Files.readAllBytes(task.containers.store().config(task.ref.id())));
        spec.set("process", process);
        SpecParser.parse(MAPPER.writeValueAsBytes(spec));
    }

    @Override
    public void kill(TaskRef ref, String execId, int signal, boolean all) throws IOException {
        if (signal < 1 || signal > 64) {
            throw JctrException.invalidArgument("invalid signal %d", signal);
        }
        Task task = task(ref);
        synchronized (task) {
            TaskProcess p = process(task, execId);
            if (p.finished()) {
                throw JctrException.notFound("process already finished");
            }
            if (p == task.init) {
                try {
                    task.containers.kill(ref.id(), signal, all);
                } catch (JctrException e) {
                    if (e.kind() == JctrException.Kind.FAILED_PRECONDITION) {
                        throw JctrException.notFound("process already finished");
                    }
                    throw e;
                }
            } else if (!p.launched) {
                throw JctrException.failedPrecondition("exec %s of task %s has not been started", p.id, ref);
            } else if (!Syscalls.kill(p.pid, signal)) {
                throw JctrException.notFound("process already finished");
            }
        }
    }

    @Override
    public ExitStatus delete(TaskRef ref, String execId) throws IOException {
        Task task = task(ref);
        TaskProcess p;
        synchronized (task) {
            p = process(task, execId);
            if (p != task.init) {
                return deleteExec(task, p);
            }
            ProcessStatus s = status(task, p);
            if (s == ProcessStatus.RUNNING || s == ProcessStatus.PAUSED) {
                throw JctrException.failedPrecondition("cannot delete task %s: it is %s (kill it and wait first)",
                        ref, text(s));
            }
            if (s == ProcessStatus.CREATED) {
                p.neverStarted = true;
                Syscalls.kill(p.pid, Signals.SIGKILL);
            }
        }
        awaitExit(task, p);
        synchronized (task) {
            if (tasks.get(ref) != task) {
                throw JctrException.notFound("task %s", ref);
            }
            reapOrphans(task);
            task.containers.delete(ref.id(), true);
            RootfsMounter.unmount(task.rootfs(), task.rootfsTargets, null);
            for (TaskProcess e : task.execs.values()) {
                e.release();
                if (!e.finished()) {
                    e.exited.completeExceptionally(JctrException.notFound("exec %s of task %s was deleted", e.id, ref));
                }
            }
            p.release();
            tasks.remove(ref);
            return p.exit != null ? p.exit : new ExitStatus(p.pid, UNKNOWN_EXIT, Instant.now());
        }
    }

    /**
     * Reaps what the container's init left: when a pid namespace's init dies the kernel kills
     * the rest, and as this JVM is their subreaper they turn into its zombies, which a v1 cgroup
     * still lists (so it could not be removed). Only pids in the container's own cgroup are
     * touched, never the JDK's children. Waits up to a second for the killed ones to die.
     */
    private void reapOrphans(Task task) throws IOException {
        if (!subreaper) {
            return;
        }
        long deadline = System.nanoTime() + 1_000_000_000L;
        List<Integer> left = task.containers.pids(task.ref.id());
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            for (int pid : left) {
                // The init and exec'd processes have waiters of their own, which need their status.
                if (!tracked(task, pid)) {
                    NativeCalls.system().reapIfExited(pid);
                }
            }
            left = task.containers.pids(task.ref.id());
            if (!left.isEmpty()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while reaping task " + task.ref, e);
                }
            }
        }
    }

    private static boolean tracked(Task task, int pid) {
        return task.init.pid == pid || task.execs.values().stream().anyMatch(e -> e.pid == pid);
    }

    /** Waits (without the task's lock, which the exit's recording needs) until {@code p}'s exit is known. */
    private static void awaitExit(Task task, TaskProcess p) throws IOException {
        try {
            p.exited.get(DELETE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            // completed exceptionally only when deleted: the next step reports it
        } catch (TimeoutException e) {
            throw new IOException("task " + task.ref + ": init " + p.pid + " did not exit within "
                    + DELETE_WAIT_MILLIS + " ms of SIGKILL");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while deleting task " + task.ref, e);
        }
    }

    private ExitStatus deleteExec(Task task, TaskProcess p) throws IOException {
        ProcessStatus s = status(task, p);
        if (s == ProcessStatus.RUNNING || s == ProcessStatus.PAUSED) {
            throw JctrException.failedPrecondition("cannot delete exec %s of task %s: it is %s (kill it and wait first)",
                    p.id, task.ref, text(s));
        }
        task.execs.remove(p.id);
        p.release();
        TaskFiles.removeProcess(task.dir(), p.id);
        if (!p.launched) {
            p.exited.completeExceptionally(JctrException.notFound("exec %s of task %s was deleted before it started",
                    p.id, task.ref));
            return new ExitStatus(0, UNKNOWN_EXIT, Instant.now());
        }
        return p.exit != null ? p.exit : new ExitStatus(p.pid, UNKNOWN_EXIT, Instant.now());
    }

    // ---- queries --------------------------------------------------------------------------

    @Override
    public ProcessState state(TaskRef ref, String execId) throws IOException {
        Task task = task(ref);
        synchronized (task) {
            TaskProcess p = process(task, execId);
            ProcessStatus s = status(task, p);
            return new ProcessState(p.id, p.pid, s, s == ProcessStatus.STOPPED ? p.exit : null, task.bundle, p.stdio);
        }
    }

    @Override
    public CompletableFuture<ExitStatus> onExit(TaskRef ref, String execId) {
        Task task = task(ref);
        synchronized (task) {
            return process(task, execId).exited.copy();
        }
    }

    @Override
    public void pause(TaskRef ref) throws IOException {
        Task task = task(ref);
        synchronized (task) {
            ProcessStatus s = status(task, task.init);
            if (s != ProcessStatus.RUNNING) {
                throw JctrException.failedPrecondition("cannot pause task %s: it is %s", ref, text(s));
            }
            task.containers.pause(ref.id());
        }
    }

    @Override
    public void resume(TaskRef ref) throws IOException {
        Task task = task(ref);
        synchronized (task) {
            ProcessStatus s = status(task, task.init);
            if (s != ProcessStatus.PAUSED) {
                throw JctrException.failedPrecondition("cannot resume task %s: it is %s", ref, text(s));
            }
            task.containers.resume(ref.id());
        }
    }

    @Override
    public void update(TaskRef ref, String resourcesJson) throws IOException {
        Task task = task(ref);
        synchronized (task) {
            ProcessStatus s = status(task, task.init);
            if (s == ProcessStatus.STOPPED || s == ProcessStatus.UNKNOWN) {
                throw JctrException.failedPrecondition("cannot update task %s: it is %s", ref, text(s));
            }
            task.containers.update(ref.id(), resources(resourcesJson));
        }
    }

    private static Resources resources(String json) throws IOException {
        JsonNode node;
        try {
            node = json == null ? null : MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw JctrException.invalidArgument("linux.resources: malformed json: %s", e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw JctrException.invalidArgument("linux.resources: expected an object");
        }
        ObjectNode spec = MAPPER.createObjectNode().put("ociVersion", "1.0.0");
        spec.putObject("linux").set("resources", node);
        return SpecParser.read(MAPPER.writeValueAsBytes(spec)).linux().resources();
    }

    @Override
    public List<ProcessInfo> pids(TaskRef ref) throws IOException {
        Task task = task(ref);
        Map<Integer, String> execPids = new HashMap<>();
        synchronized (task) {
            task.execs.values().stream().filter(p -> p.launched && !p.finished())
                    .forEach(p -> execPids.put(p.pid, p.id));
        }
        List<ProcessInfo> out = new ArrayList<>();
        for (int pid : task.containers.pids(ref.id())) {
            out.add(new ProcessInfo(pid, execPids.get(pid)));
        }
        return out;
    }

    @Override
    public void closeIO(TaskRef ref, String execId) {
        Task task = task(ref);
        synchronized (task) {
            TaskProcess p = process(task, execId);
            if (p.held != null) {
                p.held.closeStdin();
            }
        }
    }

    @Override
    public void resizePty(TaskRef ref, String execId, int width, int height) throws IOException {
        Task task = task(ref);
        synchronized (task) {
            TaskProcess p = process(task, execId);
            if (width < 1 || height < 1) {
                throw JctrException.invalidArgument("terminal size %dx%d: both must be at least 1", width, height);
            }
            if (p.finished()) {
                throw JctrException.failedPrecondition("process %s of task %s has exited", p.id, ref);
            }
            if (p.held != null) {
                p.held.resize(width, height);
            }
        }
    }

    @Override
    public CgroupStats stats(TaskRef ref) throws IOException {
        Task task = task(ref);
        return StatsMapper.map(task.containers.stats(ref.id()), cgroupVersion(), Instant.now());
    }

    @Override
    public List<TaskRef> tasks() {
        return new ArrayList<>(tasks.keySet());
    }

    @Override
    public void addExitListener(Consumer<ProcessExit> listener) {
        listeners.add(listener);
    }

    /**
     * Stops watching and dispatching; the tasks keep running (they outlive the daemon) and a new
     * instance re-attaches to them.
     */
    @Override
    public void close() {
        closed = true;
        watcher.close();
        dispatcher.shutdown();
    }

    // ---- exits ----------------------------------------------------------------------------

    /** Records an observed exit once, then completes the futures and notifies the listeners. */
    private void exited(Task task, TaskProcess p, int code) {
        ProcessExit event;
        synchronized (task) {
            if (p.finished()) {
                return;
            }
            p.exit = exitStatus(task, p, code);
            p.release();
            writeQuietly(task, p);
            event = new ProcessExit(task.ref, p.id, p.exit);
        }
        p.exited.complete(event.status());
        if (closed) {
            return;
        }
        dispatcher.execute(() -> {
            for (Consumer<ProcessExit> l : listeners) {
                try {
                    l.accept(event);
                } catch (RuntimeException e) {
                    warnings.accept("exit listener failed on " + event + ": " + e);
                }
            }
        });
    }

    private ExitStatus exitStatus(Task task, TaskProcess p, int code) {
        if (p.neverStarted) {
            return new ExitStatus(p.pid, UNKNOWN_EXIT, Instant.now());
        }
        if (code != ExitWatcher.UNKNOWN_CODE) {
            return new ExitStatus(p.pid, code, Instant.now());
        }
        // Not our child: whoever was its parent (an earlier instance, one day a shim) may have recorded it.
        try {
            Optional<TaskFiles.ProcessFile> f = TaskFiles.readProcess(task.dir(), p.id);
            if (f.isPresent() && f.get().exitCode() != null && f.get().pid() == p.pid) {
                return new ExitStatus(p.pid, f.get().exitCode(), Instant.parse(f.get().exitedAt()));
            }
        } catch (IOException | RuntimeException e) {
            warnings.accept("cannot read the recorded exit of " + p.id + " of task " + task.ref + ": " + e.getMessage());
        }
        return new ExitStatus(p.pid, UNKNOWN_EXIT, Instant.now());
    }

    private void writeQuietly(Task task, TaskProcess p) {
        try {
            TaskFiles.write(task.dir(), p.file());
        } catch (IOException | RuntimeException e) {
            warnings.accept("cannot record the exit of " + p.id + " of task " + task.ref + ": " + e.getMessage());
        }
    }

    // ---- re-attach ------------------------------------------------------------------------

    private void reattachAll() throws IOException {
        if (!Files.isDirectory(state)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(state, Files::isDirectory)) {
            for (Path dir : dirs) {
                String namespace = dir.getFileName().toString();
                if (namespace.startsWith(".")) {
                    continue; // not a namespace: .consoles
                }
                LinuxContainers containers = containers(namespace);
                for (String id : containers.store().ids()) {
                    TaskRef ref = new TaskRef(namespace, id);
                    try {
                        reattach(ref, containers);
                    } catch (IOException | RuntimeException e) {
                        warnings.accept("cannot re-attach to task " + ref + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    private void reattach(TaskRef ref, LinuxContainers containers) throws IOException {
        Path dir = containers.store().dir(ref.id());
        Optional<TaskFiles.TaskFile> file = TaskFiles.readTask(dir);
        if (file.isEmpty()) {
            warnings.accept("container " + ref + " has no task.json: not re-attached");
            return;
        }
        ContainerRecord record = containers.record(ref.id());
        Map<String, TaskFiles.ProcessFile> files = new HashMap<>();
        TaskFiles.processes(dir).forEach(f -> files.put(f.id(), f));
        TaskFiles.ProcessFile initFile = files.remove(ref.id());
        if (initFile == null) {
            initFile = new TaskFiles.ProcessFile(ref.id(), record.pid(), record.pidStartTime(), "", "", "", null, null, null);
        }
        Task task = new Task(ref, containers, Path.of(file.get().bundle()), file.get().rootfsTargets(), restore(initFile));
        for (TaskFiles.ProcessFile f : files.values()) {
            task.execs.put(f.id(), restore(f));
        }
        tasks.put(ref, task);
        List<TaskProcess> all = new ArrayList<>(task.execs.values());
        all.add(task.init);
        for (TaskProcess p : all) {
            if (p.pid > 0 && !p.finished()) {
                watcher.watchAdopted(p.pid, p.startTime, code -> exited(task, p, code));
            }
        }
    }

    private static TaskProcess restore(TaskFiles.ProcessFile f) throws IOException {
        TaskProcess p = new TaskProcess(f.id(), new Stdio(f.stdin(), f.stdout(), f.stderr(), false), f.processJson());
        p.pid = f.pid();
        p.startTime = f.startTime();
        p.launched = f.pid() > 0;
        if (f.exitCode() != null) {
            p.exit = new ExitStatus(f.pid(), f.exitCode(), Instant.parse(f.exitedAt()));
            p.exited.complete(p.exit);
        } else if (f.pid() > 0 && !ProcStat.alive(f.pid(), f.startTime())) {
            p.lost = true;
            p.exited.complete(new ExitStatus(f.pid(), UNKNOWN_EXIT, Instant.now()));
        }
        return p;
    }

    // ---- helpers --------------------------------------------------------------------------

    private synchronized void becomeSubreaper() throws IOException {
        if (!subreaper) {
            NativeCalls.system().becomeSubreaper();
            subreaper = true;
        }
    }

    /** A fresh console socket path, short enough for {@code sun_path}. */
    private Path consoleSocketPath() {
        return state.resolve(".consoles").resolve(Long.toString(CONSOLES.incrementAndGet(), 36) + "-"
                + Long.toString(ProcessHandle.current().pid(), 36) + ".sock");
    }

    private LinuxContainers containers(String namespace) {
        return namespaces.computeIfAbsent(namespace,
                ns -> new LinuxContainers(new StateDirectory(state.resolve(ns)), warnings));
    }

    private Task task(TaskRef ref) {
        Task task = tasks.get(ref);
        if (task == null) {
            throw JctrException.notFound("task %s", ref);
        }
        return task;
    }

    private static TaskProcess process(Task task, String execId) {
        if (execId == null || execId.isEmpty() || execId.equals(task.ref.id())) {
            return task.init;
        }
        TaskProcess p = task.execs.get(execId);
        if (p == null) {
            throw JctrException.notFound("exec %s of task %s", execId, task.ref);
        }
        return p;
    }

    /** A process's status: what this runtime observed first, then what the kernel says. */
    private static ProcessStatus status(Task task, TaskProcess p) throws IOException {
        if (p.exit != null) {
            return ProcessStatus.STOPPED;
        }
        if (p.lost) {
            return ProcessStatus.UNKNOWN;
        }
        if (p != task.init && !p.launched) {
            return ProcessStatus.CREATED;
        }
        ContainerStatus c = task.containers.status(task.containers.record(task.ref.id()));
        if (p != task.init) {
            return c == ContainerStatus.PAUSED ? ProcessStatus.PAUSED : ProcessStatus.RUNNING;
        }
        return switch (c) {
            case CREATING, CREATED -> ProcessStatus.CREATED;
            case PAUSED -> ProcessStatus.PAUSED;
            // STOPPED before the reaper recorded it: the exit is on its way.
            case RUNNING, STOPPED -> ProcessStatus.RUNNING;
        };
    }

    private int cgroupVersion() {
        if (cgroupVersion == 0) {
            cgroupVersion = CgroupLayout.detect().mode() == CgroupLayout.Mode.UNIFIED ? 2 : 1;
        }
        return cgroupVersion;
    }

    private static String text(ProcessStatus s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
