package io.jctr.plugins.runtime.linux.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.cgroups.OomWatch;
import io.jctr.plugins.runtime.linux.container.ContainerId;
import io.jctr.plugins.runtime.linux.container.ContainerStatus;
import io.jctr.plugins.runtime.linux.container.GoJson;
import io.jctr.plugins.runtime.linux.container.LinuxContainers;
import io.jctr.plugins.runtime.linux.container.ProcStat;
import io.jctr.plugins.runtime.linux.container.Signals;
import io.jctr.plugins.runtime.linux.container.StateDirectory;
import io.jctr.plugins.runtime.linux.launch.ShimProcess;
import io.jctr.plugins.runtime.linux.launch.Syscalls;
import io.jctr.plugins.runtime.linux.shim.ExitsFile;
import io.jctr.plugins.runtime.linux.shim.ShimClient;
import io.jctr.plugins.runtime.linux.shim.ShimExit;
import io.jctr.plugins.runtime.linux.shim.ShimGoneException;
import io.jctr.plugins.runtime.linux.shim.ShimStarter;
import io.jctr.plugins.runtime.linux.shim.ShimStdio;
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
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The native runtime as a {@link ContainerRuntime}: each task is a container (id = task id)
 * run by jctr's own engine ({@link NativeEngine} over {@link LinuxContainers}) or, when the
 * create request's options name one, by an external OCI runtime binary such as runc or crun
 * ({@link OciBinaryEngine}), with one shim per task ({@link ShimClient}, the C program in
 * {@code src/main/c-shim}). A task's state lives in {@code <state>/<namespace>/<id>}: the
 * container's, this runtime's {@link TaskFiles} and the shim's.
 *
 * <p><b>The shim.</b> Create starts the task's shim in the task's directory; the shim forks
 * the helpers (or the binary's {@code create} and {@code exec}) of the init and of every exec,
 * so the container processes are its children (it is their subreaper) and never this JVM's. It
 * owns their streams (FIFOs, log files, a terminal's master), reaps every child and records
 * each exit in its {@code exits} file before reporting it. Tasks therefore outlive this
 * runtime: {@link #close} (a daemon stop) leaves them running, and a new instance reconnects to
 * every shim it finds and learns from its file the exits it missed. A process whose shim died
 * (killed) without recording its exit is {@code STOPPED} with code 255, and the task's
 * container is killed, as containerd does with a task whose shim disconnected.
 *
 * <p><b>Exits.</b> The shim's reports complete the {@link #onExit} futures and call the exit
 * listeners on one dispatcher thread, in report order, after the exit is written to the
 * process's file.
 *
 * <p><b>OOMs.</b> The memory cgroup of each live task of the native engine is watched by
 * {@link OomWatches} (one thread for all tasks) from create or re-attach until its init exits;
 * each kernel notification calls the OOM listeners, and one pending at the init's exit is
 * reported before that exit. Tasks run by an external binary are not watched.
 *
 * <p>Signals, pause, resume, update, pids and stats go to the kernel (or the binary) directly
 * (a signal to an exec only while its pid and start time still match); CloseIO and terminal
 * sizes go to the shim. {@code binary://} log URIs are refused.
 *
 * <p>Nothing native happens until the first {@link #create}: construction only reads files and
 * connects to shims. Thread-safe: operations on one task are serialised on its {@link Task}.
 */
public final class LinuxRuntime implements ContainerRuntime, AutoCloseable {

    private static final Pattern EXEC_ID = Pattern.compile("[A-Za-z0-9]+([._-][A-Za-z0-9]+)*");
    private static final long DELETE_WAIT_MILLIS = 10_000;
    private static final int UNKNOWN_EXIT = 255;
    private static final ObjectMapper MAPPER = GoJson.MAPPER;

    private final Path state;
    private final Consumer<String> warnings;
    private final Map<String, LinuxContainers> namespaces = new ConcurrentHashMap<>();
    private final Map<TaskRef, Task> tasks = new ConcurrentHashMap<>();
    private final Set<TaskRef> creating = ConcurrentHashMap.newKeySet();
    private final List<Consumer<ProcessExit>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<TaskRef>> oomListeners = new CopyOnWriteArrayList<>();
    /** The OOM watches of the live tasks of the native engine, one thread for all. */
    private final OomWatches oomWatches;
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jctr-runtime-exits");
        t.setDaemon(true);
        return t;
    });
    /** The dispatcher, quiet once closed: a report arriving then is the next instance's. */
    private final Executor exitExecutor = r -> {
        try {
            dispatcher.execute(r);
        } catch (RejectedExecutionException e) {
            // closed
        }
    };
    private volatile boolean closed;

    /**
     * A runtime keeping its state under {@code state}; re-attaches to the tasks found there.
     * Warnings (e.g. a task that cannot be re-attached) go to {@code warnings}.
     */
    public LinuxRuntime(Path state, Consumer<String> warnings) throws IOException {
        this.state = state.toAbsolutePath().normalize();
        this.warnings = warnings;
        this.oomWatches = new OomWatches(this::outOfMemory, warnings);
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
        Path tasksDir = state.resolve(ref.namespace());
        Path dir = tasksDir.resolve(ContainerId.check(ref.id()));
        if (Files.exists(dir)) {
            throw JctrException.alreadyExists("task %s", ref);
        }
        TaskEngine engine = r.options().usesBinary()
                ? new OciBinaryEngine(OciBinaryEngine.resolve(r.options().binaryName()), binaryRoot(r), tasksDir)
                : new NativeEngine(containers(ref.namespace()), warnings);
        Path bundle = r.bundle().normalize();
        if (!Files.isRegularFile(bundle.resolve("config.json"))) {
            throw JctrException.invalidArgument("bundle %s of task %s has no config.json", bundle, ref);
        }
        checkTerminal(bundle, r.stdio(), ref);
        ShimStdio stdio = TaskStdio.check(r.stdio(), "task " + ref);
        String name = "task " + ref;
        // The shim starts in the task's directory, which the engine's create reserves first.
        ShimClient[] started = new ShimClient[1];
        ShimStarter.ShimSource shim = () -> {
            if (started[0] == null) {
                started[0] = ShimClient.start(dir, name, warnings);
            }
            return started[0];
        };
        Path rootfs = bundle.resolve("rootfs");
        List<String> mounted = List.of();
        boolean created = false;
        try {
            if (!r.rootfs().isEmpty()) {
                Files.createDirectories(rootfs);
                RootfsMounter.mount(r.rootfs(), rootfs);
                mounted = RootfsMounter.targets(r.rootfs());
            }
            Instant before = Instant.now();
            // Namespaced like containerd's default, so equal ids in two namespaces never share a cgroup.
            TaskEngine.Created c = engine.create(ref.id(), "/jctr/" + ref.namespace() + "/" + ref.id(), bundle,
                    stdio, shim);
            created = true;
            TaskProcess init = new TaskProcess(ref.id(), r.stdio(), null);
            init.pid = c.pid();
            init.startTime = c.startTime();
            init.launchedAt = before;
            Task task = new Task(ref, engine, dir, bundle, mounted, init, c.shim());
            OciBinaryEngine binary = engine instanceof OciBinaryEngine b ? b : null;
            TaskFiles.write(dir, new TaskFiles.TaskFile(bundle.toString(), mounted,
                    binary == null ? null : binary.binary(), binary == null ? null : binary.root().toString()));
            TaskFiles.write(dir, init.file());
            watchOom(task);
            follow(task, init);
            return task;
        } catch (IOException | RuntimeException e) {
            if (created) {
                try {
                    engine.delete(ref.id());
                } catch (IOException | RuntimeException x) {
                    e.addSuppressed(x);
                }
            }
            if (started[0] != null) {
                try {
                    started[0].shutdown();
                } catch (IOException | RuntimeException x) {
                    e.addSuppressed(x);
                }
            }
            RootfsMounter.unmount(rootfs, mounted, e);
            throw e;
        }
    }

    /** The binary's {@code --root}: as the options say, else one per namespace in this runtime's state. */
    private Path binaryRoot(CreateRequest r) {
        String root = r.options().root();
        if (!root.isEmpty()) {
            if (!root.startsWith("/")) {
                throw JctrException.invalidArgument("task %s: runtime root %s must be absolute", r.task(), root);
            }
            return Path.of(root);
        }
        return state.resolve(".oci").resolve(r.task().namespace());
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
            task.engine.start(task.ref.id());
        } catch (JctrException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            killIfSame(init, Signals.SIGKILL);
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
        if (!task.shimReachable()) {
            throw new IOException("cannot start exec " + p.id + " of task " + task.ref + ": its shim is gone");
        }
        ShimStdio stdio = TaskStdio.check(p.stdio, "exec " + p.id + " of task " + task.ref);
        Instant before = Instant.now();
        try {
            p.pid = task.engine.exec(task.ref.id(), p.processJson, stdio, task.shim);
        } catch (IOException | RuntimeException e) {
            // The SPI: a process whose start failed is stopped.
            p.launched = true;
            p.exit = new ExitStatus(p.pid, UNKNOWN_EXIT, Instant.now());
            p.exited.complete(p.exit);
            writeQuietly(task, p);
            throw e;
        }
        p.startTime = ProcStat.of(p.pid).map(ProcStat::startTime).orElse(0L);
        p.launchedAt = before;
        p.launched = true;
        TaskFiles.write(task.dir, p.file());
        follow(task, p);
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
            TaskStdio.check(io, "exec " + execId + " of task " + ref);
            TaskProcess p = new TaskProcess(execId, io, processJson);
            task.execs.put(execId, p);
            TaskFiles.write(task.dir, p.file());
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
        ObjectNode spec = (ObjectNode) MAPPER.readTree(Files.readAllBytes(task.engine.config(task.ref.id())));
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
                    task.engine.kill(ref.id(), signal, all);
                } catch (JctrException e) {
                    if (e.kind() == JctrException.Kind.FAILED_PRECONDITION) {
                        throw JctrException.notFound("process already finished");
                    }
                    throw e;
                }
            } else if (!p.launched) {
                throw JctrException.failedPrecondition("exec %s of task %s has not been started", p.id, ref);
            } else if (!killIfSame(p, signal)) {
                throw JctrException.notFound("process already finished");
            }
        }
    }

    /** Signals {@code p} unless its pid now names another process; whether it was signalled. */
    private static boolean killIfSame(TaskProcess p, int signal) throws IOException {
        return p.pid > 0 && ProcStat.alive(p.pid, p.startTime) && Syscalls.kill(p.pid, signal);
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
                killIfSame(p, Signals.SIGKILL);
            }
        }
        awaitExit(task, p);
        synchronized (task) {
            if (tasks.get(ref) != task) {
                throw JctrException.notFound("task %s", ref);
            }
            killRemaining(task);
            oomWatches.stop(ref);
            if (task.shim != null) {
                task.shim.shutdown();
            }
            task.engine.delete(ref.id());
            RootfsMounter.unmount(task.rootfs(), task.rootfsTargets, null);
            for (TaskProcess e : task.execs.values()) {
                if (!e.finished()) {
                    e.exited.completeExceptionally(JctrException.notFound("exec %s of task %s was deleted", e.id, ref));
                }
            }
            tasks.remove(ref);
            return p.exit != null ? p.exit : new ExitStatus(p.pid, UNKNOWN_EXIT, Instant.now());
        }
    }

    /**
     * Kills what the init left in the container's cgroup and waits (up to two seconds) until
     * the shim has reaped it, so that the cgroup can go. When the shim is gone, they are
     * re-parented elsewhere; one that became this JVM's child (a subreaper in tests) is reaped
     * here.
     */
    private static void killRemaining(Task task) throws IOException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        List<Integer> left = task.engine.pids(task.ref.id());
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            try {
                task.engine.kill(task.ref.id(), Signals.SIGKILL, true);
            } catch (JctrException e) {
                // stopped meanwhile
            }
            left.forEach(ShimProcess::reap);
            try {
                Thread.sleep(10); // the killed processes are not this JVM's children: nothing signals their end
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while deleting task " + task.ref, e);
            }
            left = task.engine.pids(task.ref.id());
        }
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
        TaskFiles.removeProcess(task.dir, p.id);
        if (!p.launched) {
            p.exited.completeExceptionally(JctrException.notFound("exec %s of task %s was deleted before it started",
                    p.id, task.ref));
            return new ExitStatus(0, UNKNOWN_EXIT, Instant.now());
        }
        if (p.pid > 0) {
            releaseQuietly(task, p.pid);
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

    /**
     * The engines checkpoint leaving the container running; with {@code exit} the task is then
     * killed, as containerd stops a task checkpointed with {@code --exit}, so its state and
     * exit go through the shim like any other exit.
     */
    @Override
    public void checkpoint(TaskRef ref, Path imageDir, boolean exit) throws IOException {
        Task task = task(ref);
        synchronized (task) {
            ProcessStatus s = status(task, task.init);
            if (s != ProcessStatus.RUNNING && s != ProcessStatus.PAUSED) {
                throw JctrException.failedPrecondition("cannot checkpoint task %s: it is %s", ref, text(s));
            }
            task.engine.checkpoint(ref.id(), imageDir);
            if (exit) {
                task.engine.kill(ref.id(), Signals.SIGKILL, true);
            }
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
            task.engine.pause(ref.id());
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
            task.engine.resume(ref.id());
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
            task.engine.update(ref.id(), resourcesJson);
        }
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
        for (int pid : task.engine.pids(ref.id())) {
            out.add(new ProcessInfo(pid, execPids.get(pid)));
        }
        return out;
    }

    @Override
    public void closeIO(TaskRef ref, String execId) throws IOException {
        Task task = task(ref);
        synchronized (task) {
            TaskProcess p = process(task, execId);
            // Before an exec's start there is nothing to close yet; after an exit, nothing left.
            if (p.pid > 0 && !p.finished() && task.shimReachable()) {
                task.shim.closeStdin(p.pid);
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
            if (p.stdio.terminal() && p.pid > 0 && task.shimReachable()) {
                task.shim.resize(p.pid, Math.min(width, 0xffff), Math.min(height, 0xffff));
            }
        }
    }

    @Override
    public CgroupStats stats(TaskRef ref) throws IOException {
        Task task = task(ref);
        return task.engine.stats(ref.id());
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
     * Tasks of the native engine are watched from their create (or re-attach) until their init
     * exits, all by one thread; tasks run by an external binary are not watched.
     */
    @Override
    public void addOomListener(Consumer<TaskRef> listener) {
        oomListeners.add(listener);
    }

    /**
     * Disconnects from the shims and stops dispatching; the tasks keep running (they outlive
     * the daemon) and a new instance re-attaches to them. This instance knows no task after.
     */
    @Override
    public void close() {
        closed = true;
        for (Task task : tasks.values()) {
            if (task.shim != null) {
                task.shim.close();
            }
        }
        tasks.clear();
        oomWatches.close();
        dispatcher.shutdown();
    }

    // ---- exits ----------------------------------------------------------------------------

    /** Follows {@code p}'s exit through the shim's reports. */
    private void follow(Task task, TaskProcess p) {
        if (task.shim == null) {
            lost(task, p);
            return;
        }
        follow(task, p, task.shim.exitOf(p.pid, p.launchedAt));
    }

    private void follow(Task task, TaskProcess p, CompletableFuture<ShimExit> report) {
        report.whenCompleteAsync((exit, failure) -> {
            if (exit != null) {
                exited(task, p, new ExitStatus(p.pid, exit.code(), exit.at()));
            } else if (failure instanceof ShimGoneException
                    || failure.getCause() instanceof ShimGoneException) {
                lost(task, p);
            }
        }, exitExecutor);
    }

    /**
     * At re-attach: an exit the shim recorded while no runtime listened is taken at once, so
     * that it is not reported to listeners registered after construction (the daemon
     * reconciles those through {@link #state}); the others are followed.
     */
    private void followAfterRestart(Task task, TaskProcess p) {
        CompletableFuture<ShimExit> recorded = task.shim.exitOf(p.pid, p.launchedAt);
        if (recorded.isDone() && !recorded.isCompletedExceptionally()) {
            ShimExit exit = recorded.join();
            exited(task, p, new ExitStatus(p.pid, exit.code(), exit.at()));
        } else {
            follow(task, p, recorded);
        }
    }

    /**
     * The shim died before it recorded {@code p}'s exit: it is stopped with 255 (containerd's
     * code for a task whose shim is gone), and an init's container is killed, since nothing
     * would observe it any more.
     */
    private void lost(Task task, TaskProcess p) {
        if (p == task.init) {
            try {
                task.engine.kill(task.ref.id(), Signals.SIGKILL, true);
            } catch (IOException | RuntimeException e) {
                // stopped already, or deleted
            }
        }
        exited(task, p, new ExitStatus(p.pid, UNKNOWN_EXIT, Instant.now()));
    }

    /**
     * Records an exit once, then completes the futures and notifies the listeners. An init's
     * exit first reports an OOM the kernel signalled that the watch thread has not reported yet
     * (the OOM that killed it comes before its exit, as in containerd) and ends the watch.
     */
    private void exited(Task task, TaskProcess p, ExitStatus status) {
        ProcessExit event;
        synchronized (task) {
            if (p.finished()) {
                return;
            }
            p.exit = p.neverStarted ? new ExitStatus(p.pid, UNKNOWN_EXIT, status.exitedAt()) : status;
            writeQuietly(task, p);
            event = new ProcessExit(task.ref, p.id, p.exit);
        }
        if (p == task.init) {
            oomWatches.check(task.ref);
            oomWatches.stop(task.ref);
        }
        p.exited.complete(event.status());
        if (closed) {
            return;
        }
        for (Consumer<ProcessExit> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                warnings.accept("exit listener failed on " + event + ": " + e);
            }
        }
    }

    /** Starts watching a live task's memory cgroup for OOMs; a task that cannot be watched is only warned of. */
    private void watchOom(Task task) {
        try {
            OomWatch watch = task.engine.watchOom(task.ref.id());
            if (watch != null) {
                oomWatches.start(task.ref, watch);
            }
        } catch (IOException | RuntimeException e) {
            warnings.accept("task " + task.ref + ": cannot watch for out-of-memory events: " + e.getMessage());
        }
    }

    /** How many tasks are watched for OOMs (for tests: none once their inits exited). */
    int oomWatched() {
        return oomWatches.size();
    }

    private void outOfMemory(TaskRef ref) {
        if (closed) {
            return;
        }
        for (Consumer<TaskRef> l : oomListeners) {
            try {
                l.accept(ref);
            } catch (RuntimeException e) {
                warnings.accept("oom listener failed on task " + ref + ": " + e);
            }
        }
    }

    private void writeQuietly(Task task, TaskProcess p) {
        try {
            TaskFiles.write(task.dir, p.file());
        } catch (IOException | RuntimeException e) {
            warnings.accept("cannot record the exit of " + p.id + " of task " + task.ref + ": " + e.getMessage());
        }
    }

    private void releaseQuietly(Task task, int pid) {
        if (!task.shimReachable()) {
            return;
        }
        try {
            task.shim.release(pid);
        } catch (IOException e) {
            warnings.accept("cannot release the streams of pid " + pid + " of task " + task.ref + ": " + e.getMessage());
        }
    }

    // ---- re-attach ------------------------------------------------------------------------

    private void reattachAll() throws IOException {
        if (!Files.isDirectory(state)) {
            return;
        }
        try (DirectoryStream<Path> namespaceDirs = Files.newDirectoryStream(state, Files::isDirectory)) {
            for (Path namespaceDir : namespaceDirs) {
                String namespace = namespaceDir.getFileName().toString();
                if (namespace.startsWith(".")) {
                    continue; // not a namespace: .oci
                }
                try (DirectoryStream<Path> dirs = Files.newDirectoryStream(namespaceDir, Files::isDirectory)) {
                    for (Path dir : dirs) {
                        TaskRef ref = new TaskRef(namespace, dir.getFileName().toString());
                        if (!TaskFiles.isTask(dir)) {
                            discardHalfCreated(ref, dir);
                            continue;
                        }
                        try {
                            reattach(ref, dir);
                        } catch (IOException | RuntimeException e) {
                            warnings.accept("cannot re-attach to task " + ref + ": " + e.getMessage());
                        }
                    }
                }
            }
        }
    }

    /**
     * A create that died with its daemon half-way (no {@code task.json} yet): its container and
     * shim are removed, so that nothing is left that no one would ever delete. Root file-system
     * mounts it made are not known and stay.
     */
    private void discardHalfCreated(TaskRef ref, Path dir) {
        warnings.accept("task " + ref + " was not completely created: removing what there is of it");
        try {
            Optional<Integer> shim = ShimClient.runningShim(dir);
            if (shim.isPresent()) {
                try {
                    ShimClient.connect(dir, "task " + ref, warnings).shutdown();
                } catch (IOException e) {
                    ShimProcess.kill(shim.get());
                }
            }
            containers(ref.namespace()).delete(ref.id(), true);
        } catch (IOException | RuntimeException e) {
            warnings.accept("cannot remove the half-created task " + ref + ": " + e.getMessage());
        }
    }

    /**
     * Reconnects to a task's shim and follows its processes again: those whose exit the shim
     * recorded meanwhile complete at once with it. With the shim gone, what its file recorded
     * still counts; the rest is lost (255).
     */
    private void reattach(TaskRef ref, Path dir) throws IOException {
        TaskFiles.TaskFile file = TaskFiles.readTask(dir).orElseThrow();
        TaskEngine engine = file.binary() == null ? new NativeEngine(containers(ref.namespace()), warnings)
                : new OciBinaryEngine(file.binary(), Path.of(file.binaryRoot()), dir.getParent());
        Map<String, TaskFiles.ProcessFile> files = new HashMap<>();
        TaskFiles.processes(dir).forEach(f -> files.put(f.id(), f));
        TaskFiles.ProcessFile initFile = files.remove(ref.id());
        if (initFile == null) {
            warnings.accept("task " + ref + " has no file for its init: not re-attached");
            return;
        }
        ShimClient shim = null;
        try {
            shim = ShimClient.connect(dir, "task " + ref, warnings);
        } catch (IOException e) {
            warnings.accept("task " + ref + ": its shim is gone (" + e.getMessage() + "): exits it did not record are lost");
        }
        Task task = new Task(ref, engine, dir, Path.of(file.bundle()), file.rootfsTargets(), restore(initFile), shim);
        for (TaskFiles.ProcessFile f : files.values()) {
            task.execs.put(f.id(), restore(f));
        }
        tasks.put(ref, task);
        if (!task.init.finished() && task.init.pid > 0 && shim != null) {
            watchOom(task);
        }
        List<TaskProcess> all = new ArrayList<>(task.execs.values());
        all.add(task.init);
        List<ShimExit> recorded = shim == null ? ExitsFile.read(dir) : List.of();
        for (TaskProcess p : all) {
            if (p.pid <= 0 || p.finished()) {
                continue;
            }
            if (shim != null) {
                followAfterRestart(task, p);
                continue;
            }
            Optional<ShimExit> exit = recorded.stream()
                    .filter(e -> e.pid() == p.pid && !e.at().isBefore(p.launchedAt)).reduce((a, b) -> b);
            if (exit.isPresent()) {
                exited(task, p, new ExitStatus(p.pid, exit.get().code(), exit.get().at()));
            } else {
                lost(task, p);
            }
        }
    }

    private static TaskProcess restore(TaskFiles.ProcessFile f) {
        TaskProcess p = new TaskProcess(f.id(), new Stdio(f.stdin(), f.stdout(), f.stderr(), f.terminal()),
                f.processJson());
        p.pid = f.pid();
        p.startTime = f.startTime();
        p.launched = f.pid() > 0;
        p.launchedAt = f.launchedAt() == null ? Instant.EPOCH : Instant.parse(f.launchedAt());
        if (f.exitCode() != null) {
            p.exit = new ExitStatus(f.pid(), f.exitCode(), Instant.parse(f.exitedAt()));
            p.exited.complete(p.exit);
        }
        return p;
    }

    // ---- helpers --------------------------------------------------------------------------

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

    /** A process's status: what this runtime learned first, then what the kernel says. */
    private static ProcessStatus status(Task task, TaskProcess p) throws IOException {
        if (p.exit != null) {
            return ProcessStatus.STOPPED;
        }
        if (p != task.init && !p.launched) {
            return ProcessStatus.CREATED;
        }
        ContainerStatus c = task.engine.status(task.ref.id());
        if (p != task.init) {
            return c == ContainerStatus.PAUSED ? ProcessStatus.PAUSED : ProcessStatus.RUNNING;
        }
        return switch (c) {
            case CREATING, CREATED -> ProcessStatus.CREATED;
            case PAUSED -> ProcessStatus.PAUSED;
            // STOPPED before the shim reported it: the exit is on its way.
            case RUNNING, STOPPED -> ProcessStatus.RUNNING;
        };
    }

    private static String text(ProcessStatus s) {
        return s.name().toLowerCase(Locale.ROOT);
    }
}
