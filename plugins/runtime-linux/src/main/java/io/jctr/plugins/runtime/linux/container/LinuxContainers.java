package io.jctr.plugins.runtime.linux.container;

import io.jctr.plugins.runtime.linux.cgroups.CgroupStats;
import io.jctr.plugins.runtime.linux.cgroups.OomWatch;
import io.jctr.plugins.runtime.linux.launch.LaunchListener;
import io.jctr.plugins.runtime.linux.launch.LaunchRequest;
import io.jctr.plugins.runtime.linux.launch.Launched;
import io.jctr.plugins.runtime.linux.launch.Launcher;
import io.jctr.plugins.runtime.linux.launch.Syscalls;
import io.jctr.plugins.runtime.linux.plan.ExecPlanner;
import io.jctr.plugins.runtime.linux.plan.LaunchPlan;
import io.jctr.plugins.runtime.linux.plan.LaunchPlanner;
import io.jctr.plugins.runtime.linux.plan.PlanEncoder;
import io.jctr.plugins.runtime.linux.spec.Hooks;
import io.jctr.plugins.runtime.linux.spec.Process;
import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import io.jctr.plugins.runtime.linux.spec.SpecParser;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The container life cycle over a {@link StateDirectory}, as runc's commands define it:
 * create → created (init blocked on the exec FIFO) → start → running ⇄ paused → stopped →
 * delete. Each method is one command; statuses are derived from the kernel every time (is the
 * init alive, is the FIFO there, is the cgroup frozen), never trusted from a file, so a
 * container whose init died unobserved reads as stopped.
 *
 * <p>Thread-safe for different containers; callers serialise operations on one container.
 */
public final class LinuxContainers {

    private static final DateTimeFormatter RFC3339_NANO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    private final StateDirectory store;
    private final Consumer<String> warnings;
    private final Caller caller;

    /** Containers kept under {@code store}; warnings (runc logs them) go to {@code warnings}. */
    public LinuxContainers(StateDirectory store, Consumer<String> warnings) {
        this(store, warnings, Caller.SELF);
    }

    /** As {@link #LinuxContainers(StateDirectory, Consumer)}, for {@code caller}. */
    public LinuxContainers(StateDirectory store, Consumer<String> warnings, Caller caller) {
        this.store = store;
        this.warnings = warnings;
        this.caller = caller;
    }

    /** The state directory. */
    public StateDirectory store() {
        return store;
    }

    /**
     * Creates a container and leaves its init blocked until {@link #start} — or, with
     * {@link CreateOptions#foreground()}, returns a handle whose {@link Launched#waitFor()} gives
     * the exit code once started. On any failure nothing is left: no process, cgroup or state.
     *
     * @throws JctrException {@code INVALID_ARGUMENT} for a bad id or spec (naming the JSON path);
     *                       {@code ALREADY_EXISTS} for a duplicate id; {@code NOT_FOUND} for a
     *                       missing bundle
     */
    public Launched create(CreateOptions o) throws IOException {
        String id = ContainerId.check(o.id());
        Path bundle = o.bundle().toAbsolutePath().normalize();
        if (!Files.isDirectory(bundle)) {
            throw JctrException.notFound("bundle %s does not exist", bundle);
        }
        if (o.systemdCgroup()) {
            throw JctrException.invalidArgument("systemd cgroup driver is not supported: run without --systemd-cgroup");
        }
        RuntimeSpec spec = SpecParser.parse(bundle.resolve("config.json"));
        if (spec.process() == null) {
            throw JctrException.invalidArgument("process: must be set to start a container");
        }
        String cgroupsPath = CgroupHandle.cgroupsPath(spec);
        if (cgroupsPath.isEmpty() && o.defaultCgroupsPath() != null) {
            cgroupsPath = o.defaultCgroupsPath();
        }
        LaunchRequest.Terminal terminal = terminal(spec, o.consoleSocket(), o.foreground());
        Path dir = store.reserve(id);
        CgroupHandle cgroup = null;
        Launched launched = null;
        try {
            Files.copy(bundle.resolve("config.json"), store.config(id), StandardCopyOption.REPLACE_EXISTING);
            cgroup = CgroupHandle.create(caller.cgroups().get(), id, spec, cgroupsPath);
            List<Integer> others = cgroup.pids();
            if (cgroup.frozen()) {
                // The init would join a frozen cgroup and never get to report back.
                throw JctrException.failedPrecondition("container's cgroup unexpectedly frozen");
            }
            if (!others.isEmpty()) {
                warnings.accept("container's cgroup is not empty: " + others.size() + " process(es) found");
            }
            LaunchPlan plan = LaunchPlanner.plan(spec, bundle,
                    HostFacts.planOptions(o.noPivot(), cgroup.mountSource(), o.preserveFds()));
            Syscalls.mkfifo(store.execFifo(id), 0622);
            // Not left to the umask: an init that switched to another user must still open it.
            Files.setPosixFilePermissions(store.execFifo(id), PosixFilePermissions.fromString("rw--w--w-"));
            ContainerRecord initial = new ContainerRecord(id, spec.ociVersion(), bundle.toString(),
                    bundle.resolve(spec.root().path()).normalize().toString(), 0, 0,
                    RFC3339_NANO.format(Instant.now()), owner(dir), spec.annotations(),
                    cgroupsPath, false, !others.isEmpty());
            InitListener listener = new InitListener(initial, spec.hooks());
            launched = Launcher.launch(new LaunchRequest(PlanEncoder.encode(plan), store.execFifo(id),
                    terminal, o.preserveFds(), cgroup.procsFiles(),
                    o.stdio() == null ? LaunchRequest.Stdio.INHERIT : o.stdio(), o.foreground(), dir),
                    listener, caller.starter());
            if (o.pidFile() != null) {
                writePidFile(o.pidFile(), launched.pid());
            }
            return launched;
        } catch (IOException | RuntimeException e) {
            undoCreate(id, launched, cgroup, e);
            throw e;
        }
    }

    /**
     * What recreates a checkpointed container's processes for {@link #restore} (CRIU).
     */
    public interface Restorer {

        /**
         * Recreates the processes of the container of {@code spec} from {@code bundle}, placing
         * them in its cgroups (created already; {@code cgroupDirs} by controller as
         * {@code ContainerCgroup.paths()} gives them); returns the init's pid. {@code stateDir}
         * is the container's own directory, for scratch files.
         */
        int restore(RuntimeSpec spec, Path bundle, Path stateDir, Map<String, Path> cgroupDirs) throws IOException;
    }

    /**
     * Brings back a checkpointed container under {@code o.id()}: as {@link #create}, except that
     * instead of launching an init, {@code restorer} recreates the processes in the container's
     * new cgroups. The container is then running. On any failure nothing is left: no process,
     * cgroup or state.
     *
     * @throws JctrException as {@link #create}
     */
    public ContainerRecord restore(CreateOptions o, Restorer restorer) throws IOException {
        String id = ContainerId.check(o.id());
        Path bundle = o.bundle().toAbsolutePath().normalize();
        if (!Files.isDirectory(bundle)) {
            throw JctrException.notFound("bundle %s does not exist", bundle);
        }
        RuntimeSpec spec = SpecParser.parse(bundle.resolve("config.json"));
        String cgroupsPath = CgroupHandle.cgroupsPath(spec);
        if (cgroupsPath.isEmpty() && o.defaultCgroupsPath() != null) {
            cgroupsPath = o.defaultCgroupsPath();
        }
        Path dir = store.reserve(id);
        CgroupHandle cgroup = null;
        int pid = 0;
        try {
            Files.copy(bundle.resolve("config.json"), store.config(id), StandardCopyOption.REPLACE_EXISTING);
            cgroup = CgroupHandle.create(caller.cgroups().get(), id, spec, cgroupsPath);
            pid = restorer.restore(spec, bundle, dir, cgroup.paths());
            int init = pid;
            long start = ProcStat.of(pid).map(ProcStat::startTime).orElseThrow(
                    () -> new IOException("restored init " + init + " of container " + id + " exited"));
            ContainerRecord record = new ContainerRecord(id, spec.ociVersion(), bundle.toString(),
                    bundle.resolve(spec.root().path()).normalize().toString(), pid, start,
                    RFC3339_NANO.format(Instant.now()), owner(dir), spec.annotations(), cgroupsPath, false, false);
            store.write(record);
            if (o.pidFile() != null) {
                writePidFile(o.pidFile(), pid);
            }
            return record;
        } catch (IOException | RuntimeException e) {
            if (pid > 0 && cgroup != null) {
                cgroup.signalAll(Signals.SIGKILL);
            }
            undoCreate(id, null, cgroup, e);
            throw e;
        }
    }

    /** Undoes a failed create; a cgroup that was there before is someone else's and stays. */
    private void undoCreate(String id, Launched launched, CgroupHandle cgroup, Exception cause) {
        try {
            if (launched != null) {
                Syscalls.kill(launched.pid(), Signals.SIGKILL);
            }
            if (cgroup != null && !cgroup.existedBefore()) {
                cgroup.destroy(true);
            }
            store.remove(id);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** Records the init as soon as it exists, and runs the hooks of the runtime's namespaces. */
    private final class InitListener implements LaunchListener {
        private ContainerRecord record;
        private final Hooks hooks;

        InitListener(ContainerRecord record, Hooks hooks) {
            this.record = record;
            this.hooks = hooks;
        }

        @Override
        public String initStarted(int pid) throws IOException {
            long start = ProcStat.of(pid).map(ProcStat::startTime).orElseThrow(
                    () -> new IOException("container init " + pid + " exited during create"));
            record = record.withInit(pid, start);
            store.write(record);
            return StateJson.forHooks(record, ContainerStatus.CREATING);
        }

        @Override
        public void createRuntimeHooks(int pid) throws IOException {
            if (hooks == null) {
                return;
            }
            String state = StateJson.forHooks(record, ContainerStatus.CREATING);
            HostHooks.run("prestart", hooks.prestart(), state, caller.environment());
            HostHooks.run("createRuntime", hooks.createRuntime(), state, caller.environment());
        }

        @Override
        public void ready(int pid) {
        }
    }

    /**
     * Lets a created container's init run the user's program, then runs the poststart hooks
     * (a failing one kills the container, as runc).
     *
     * @throws JctrException {@code FAILED_PRECONDITION} unless the container is created
     */
    public void start(String id) throws IOException {
        ContainerRecord c = store.read(id);
        ContainerStatus status = status(c);
        switch (status) {
            case CREATED -> { }
            case STOPPED -> throw JctrException.failedPrecondition("cannot start a container that has stopped");
            case RUNNING -> throw JctrException.failedPrecondition("cannot start an already running container");
            default -> throw JctrException.failedPrecondition("cannot start a container in the %s state", status.text());
        }
        Path fifo = store.execFifo(id);
        boolean released = Syscalls.awaitFifoByte(fifo, () -> alive(c));
        Files.deleteIfExists(fifo);
        if (!released) {
            throw JctrException.failedPrecondition("cannot start container %s: its init process is already dead", id);
        }
        Hooks hooks = spec(id).hooks();
        if (hooks != null && !hooks.poststart().isEmpty()) {
            try {
                HostHooks.run("poststart", hooks.poststart(), StateJson.forHooks(c, ContainerStatus.RUNNING),
                        caller.environment());
            } catch (IOException | RuntimeException e) {
                Syscalls.kill(c.pid(), Signals.SIGKILL);
                throw e;
            }
        }
    }

    /** The record and current status of {@code id}. */
    public ContainerRecord record(String id) throws IOException {
        return store.read(id);
    }

    /** The current status, derived from the kernel. */
    public ContainerStatus status(ContainerRecord c) throws IOException {
        if (c.pid() == 0) {
            return ContainerStatus.CREATING;
        }
        if (!alive(c)) {
            return ContainerStatus.STOPPED;
        }
        if (Files.exists(store.execFifo(c.id()))) {
            return ContainerStatus.CREATED;
        }
        if (cgroupOf(c).frozen()) {
            return ContainerStatus.PAUSED;
        }
        return ContainerStatus.RUNNING;
    }

    /** Every container, sorted by id, with its status. */
    public List<ContainerRecord> list() throws IOException {
        List<ContainerRecord> out = new ArrayList<>();
        for (String id : store.ids()) {
            try {
                out.add(store.read(id));
            } catch (JctrException e) {
                // removed between listing and reading
            }
        }
        return out;
    }

    /**
     * Sends {@code signal} to the init, or with {@code all} to every process in the container's
     * cgroup.
     *
     * @throws JctrException {@code FAILED_PRECONDITION} ({@code container not running}) when it
     *                       has stopped
     */
    public void kill(String id, int signal, boolean all) throws IOException {
        ContainerRecord c = store.read(id);
        ContainerStatus status = status(c);
        CgroupHandle cgroup = cgroupOf(c);
        if (all) {
            if (status == ContainerStatus.STOPPED && !cgroup.exists()) {
                return;
            }
            cgroup.signalAll(signal);
            return;
        }
        if (status == ContainerStatus.STOPPED || status == ContainerStatus.CREATING) {
            throw JctrException.failedPrecondition("container not running");
        }
        if (!Syscalls.kill(c.pid(), signal)) {
            throw JctrException.failedPrecondition("container not running");
        }
        if (status == ContainerStatus.PAUSED && signal == Signals.SIGKILL) {
            // A frozen task does not die until thawed (cgroup v1).
            cgroup.thaw();
        }
    }

    /**
     * Deletes a stopped container: its cgroup, the poststop hooks, its state. With
     * {@code force} a live one is SIGKILLed first. Without it, a container that has not stopped
     * is an error — including a created one, as the OCI specification says (runc deletes
     * created containers regardless).
     *
     * @throws JctrException {@code NOT_FOUND} when it does not exist (not with {@code force});
     *                       {@code FAILED_PRECONDITION} when it has not stopped and not
     *                       {@code force}
     */
    public void delete(String id, boolean force) throws IOException {
        ContainerRecord c;
        try {
            c = store.read(ContainerId.check(id));
        } catch (JctrException e) {
            if (e.kind() != JctrException.Kind.NOT_FOUND) {
                throw e;
            }
            // A directory without state is a create that died half-way: clear it.
            store.remove(id);
            if (force) {
                return;
            }
            throw e;
        }
        ContainerStatus status = status(c);
        if (status != ContainerStatus.STOPPED) {
            if (!force) {
                throw JctrException.failedPrecondition("cannot delete container %s that is not stopped: %s",
                        id, status.text());
            }
            killAndWait(c);
        }
        destroy(c);
    }

    private void killAndWait(ContainerRecord c) throws IOException {
        CgroupHandle cgroup = cgroupOf(c);
        if (c.pid() > 0 && alive(c)) {
            Syscalls.kill(c.pid(), Signals.SIGKILL);
            cgroup.thaw();
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (c.pid() > 0 && alive(c)) {
            if (System.nanoTime() > deadline) {
                throw JctrException.failedPrecondition("container init still running");
            }
            sleepBriefly();
        }
    }

    private void destroy(ContainerRecord c) throws IOException {
        cgroupOf(c).destroy(!c.sharedCgroup());
        Hooks hooks = Files.exists(store.config(c.id())) ? spec(c.id()).hooks() : null;
        store.remove(c.id());
        if (hooks != null && !hooks.poststop().isEmpty()) {
            // runc ignores poststop failures too: the container is gone either way.
            try {
                HostHooks.run("poststop", hooks.poststop(), StateJson.forHooks(c, ContainerStatus.STOPPED),
                        caller.environment());
            } catch (JctrException e) {
                warnings.accept(e.getMessage());
            }
        }
    }

    /**
     * Freezes every process of a running container.
     *
     * @throws JctrException {@code FAILED_PRECONDITION} ({@code container not running}) otherwise
     */
    public void pause(String id) throws IOException {
        ContainerRecord c = store.read(id);
        ContainerStatus status = status(c);
        if (status != ContainerStatus.RUNNING && status != ContainerStatus.CREATED) {
            throw JctrException.failedPrecondition("container not running");
        }
        cgroupOf(c).freeze();
    }

    /**
     * Thaws a paused container.
     *
     * @throws JctrException {@code FAILED_PRECONDITION} ({@code container not paused}) otherwise
     */
    public void resume(String id) throws IOException {
        ContainerRecord c = store.read(id);
        if (status(c) != ContainerStatus.PAUSED) {
            throw JctrException.failedPrecondition("container not paused");
        }
        cgroupOf(c).thaw();
    }

    /**
     * Starts another process in a created, running (or, with {@code ignorePaused}, paused)
     * container, in all of its namespaces and cgroups.
     *
     * @param processJson the OCI {@code process} object, as JSON
     * @throws JctrException {@code FAILED_PRECONDITION} when the container has stopped or is
     *                       paused; {@code INVALID_ARGUMENT} for an invalid process (naming the
     *                       JSON path)
     */
    public Launched exec(String id, byte[] processJson, ExecOptions o) throws IOException {
        ContainerRecord c = store.read(id);
        ContainerStatus status = status(c);
        if (status == ContainerStatus.STOPPED || status == ContainerStatus.CREATING) {
            throw JctrException.failedPrecondition("cannot exec in a stopped container");
        }
        if (status == ContainerStatus.PAUSED && !o.ignorePaused()) {
            throw JctrException.failedPrecondition(
                    "cannot exec in a paused container (use --ignore-paused to override)");
        }
        RuntimeSpec spec = SpecParser.parse(ExecProcess.withProcess(Files.readAllBytes(store.config(id)), processJson));
        CgroupHandle cgroup = cgroupOf(c);
        LaunchPlan plan = ExecPlanner.plan(spec, c.pid(),
                HostFacts.planOptions(false, cgroup.mountSource(), o.preserveFds()));
        String state = StateJson.forHooks(c, status);
        Launched launched = Launcher.launch(new LaunchRequest(PlanEncoder.encode(plan), null,
                terminal(spec, o.consoleSocket(), !o.detach()), o.preserveFds(), cgroup.procsFiles(o.subCgroups()),
                o.stdio() == null ? LaunchRequest.Stdio.INHERIT : o.stdio(),
                !o.detach(), store.dir(id)), new LaunchListener() {
                    @Override
                    public String initStarted(int pid) {
                        return state;
                    }

                    @Override
                    public void createRuntimeHooks(int pid) {
                    }

                    @Override
                    public void ready(int pid) {
                    }
                }, caller.starter());
        if (o.pidFile() != null) {
            writePidFile(o.pidFile(), launched.pid());
        }
        return launched;
    }

    /**
     * The launch's terminal by runc's rules (utils_linux.go): a detached process with
     * {@code process.terminal} needs a console socket, a socket without a terminal or in the
     * foreground is refused, and a foreground terminal is relayed by the helper.
     */
    static LaunchRequest.Terminal terminal(RuntimeSpec spec, Path consoleSocket, boolean foreground) {
        boolean terminal = spec.process().terminal();
        if (!foreground && terminal && consoleSocket == null) {
            throw JctrException.invalidArgument(
                    "cannot allocate tty if runc will detach without setting console socket");
        }
        if ((foreground || !terminal) && consoleSocket != null) {
            throw JctrException.invalidArgument(
                    "cannot use console socket if runc will not detach or allocate tty");
        }
        if (!terminal) {
            return null;
        }
        Process.ConsoleSize size = spec.process().consoleSize();
        // The kernel keeps a window size in unsigned shorts; larger values are clamped.
        return new LaunchRequest.Terminal(consoleSocket,
                size == null ? 0 : (int) Math.min(size.height(), 0xffff),
                size == null ? 0 : (int) Math.min(size.width(), 0xffff));
    }

    /** The pids in the container's cgroup (host pid namespace). */
    public List<Integer> pids(String id) throws IOException {
        return cgroupOf(store.read(id)).pids();
    }

    /**
     * The cgroup statistics of a container.
     *
     * @throws JctrException {@code FAILED_PRECONDITION} ({@code container not running}) when it
     *                       has stopped
     */
    public CgroupStats stats(String id) throws IOException {
        ContainerRecord c = store.read(id);
        if (status(c) == ContainerStatus.STOPPED) {
            throw JctrException.failedPrecondition("container not running");
        }
        return cgroupOf(c).stats();
    }

    /** Subscribes to the out-of-memory notifications of a container's cgroup. */
    public OomWatch watchOom(String id) throws IOException {
        return cgroupOf(store.read(id)).watchOom();
    }

    /**
     * Changes the resource limits of a live container; members {@code resources} lacks stay
     * as they are.
     *
     * @throws JctrException {@code FAILED_PRECONDITION} when it has stopped
     */
    public void update(String id, Resources resources) throws IOException {
        ContainerRecord c = store.read(id);
        if (status(c) == ContainerStatus.STOPPED) {
            throw JctrException.failedPrecondition("container not running");
        }
        cgroupOf(c).update(resources);
    }

    /**
     * The cgroup directories of container {@code id} by controller ({@code ""} for cgroup2), for
     * tools that work on them directly (CRIU's {@code --freeze-cgroup}).
     */
    public Map<String, Path> cgroupDirs(String id) throws IOException {
        return cgroupOf(store.read(id)).paths();
    }

    /** The cgroups of container {@code c}, as the caller's cgroup layout places them. */
    private CgroupHandle cgroupOf(ContainerRecord c) {
        return CgroupHandle.open(caller.cgroups().get(), c);
    }

    /** The spec copied at create. */
    public RuntimeSpec spec(String id) throws IOException {
        return SpecParser.read(Files.readAllBytes(store.config(id)));
    }

    private static boolean alive(ContainerRecord c) {
        try {
            return ProcStat.alive(c.pid(), c.pidStartTime());
        } catch (IOException e) {
            return false;
        }
    }

    private static String owner(Path dir) throws IOException {
        return Files.getOwner(dir).getName();
    }

    private static void writePidFile(Path file, int pid) throws IOException {
        // As runc: written under a temporary name and renamed, so a reader never sees it empty.
        Path abs = file.toAbsolutePath();
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        Files.writeString(tmp, Integer.toString(pid));
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void sleepBriefly() throws IOException {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
