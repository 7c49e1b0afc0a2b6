package io.jctr.plugins.runtime.linux.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.jctr.plugins.runtime.linux.container.ContainerStatus;
import io.jctr.plugins.runtime.linux.container.GoJson;
import io.jctr.plugins.runtime.linux.container.ProcStat;
import io.jctr.plugins.runtime.linux.shim.ShimClient;
import io.jctr.plugins.runtime.linux.shim.ShimExit;
import io.jctr.plugins.runtime.linux.shim.ShimStarter;
import io.jctr.plugins.runtime.linux.shim.ShimStdio;
import io.jctr.spi.JctrException;
import io.jctr.spi.metrics.CgroupStats;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * An external OCI runtime binary with runc's command line (runc, crun; containerd's
 * {@code BinaryName}) driving a task's container, with the task's shim as the parent of what it
 * leaves running: {@code create} and {@code exec --detach} are spawned by the shim (so the
 * container's init and exec'd processes are re-parented to it when the binary exits, and get
 * the streams the shim holds), the other commands run from this JVM. The binary's state lives
 * under {@code --root} (the runtime options' root, else {@code <state>/.oci/<namespace>}); its
 * messages of the spawned commands go to {@code <task dir>/oci.log}, as their stderr is the
 * container's. Statistics are not offered (the binary's {@code events --stats} is not mapped).
 * Thread-safe.
 */
final class OciBinaryEngine implements TaskEngine {

    /** Where a bare binary name is looked up, and the binary's own PATH. */
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private final String binary;
    private final Path root;
    private final Path tasks;

    /**
     * @param binary an absolute path ({@link #resolve})
     * @param root   the binary's {@code --root}
     * @param tasks  the namespace's directory of task directories
     */
    OciBinaryEngine(String binary, Path root, Path tasks) {
        this.binary = binary;
        this.root = root;
        this.tasks = tasks;
    }

    String binary() {
        return binary;
    }

    Path root() {
        return root;
    }

    /**
     * The binary {@code name} names: an absolute path, or a name looked up in {@link #PATH}.
     *
     * @throws JctrException {@code INVALID_ARGUMENT} when there is no such executable
     */
    static String resolve(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            if (!p.isAbsolute() || !Files.isExecutable(p) || Files.isDirectory(p)) {
                throw JctrException.invalidArgument("OCI runtime binary %s: not an absolute path to an executable", name);
            }
            return p.toString();
        }
        for (String dir : PATH.split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p.toString();
            }
        }
        throw JctrException.invalidArgument("OCI runtime binary %s: not found in %s", name, PATH);
    }

    @Override
    public Created create(String id, String cgroupsPath, Path bundle, ShimStdio stdio, ShimStarter.ShimSource shim)
            throws IOException {
        Path dir = tasks.resolve(id);
        Files.createDirectories(tasks);
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw JctrException.alreadyExists("container with id exists: %s", id);
        }
        try {
            Files.createDirectories(root);
            Files.copy(bundle.resolve("config.json"), config(id));
            ShimClient client = shim.get();
            Path pidFile = dir.resolve("init.pid");
            List<String> argv = new ArrayList<>(command("--log=" + dir.resolve("oci.log"), "create",
                    "--bundle=" + bundle, "--pid-file=" + pidFile));
            String console = console(stdio, argv, client);
            argv.add(id);
            int pid = spawned(client, argv, stdio, console, "create", id, pidFile);
            return new Created(pid, ProcStat.of(pid).map(ProcStat::startTime).orElse(0L), client);
        } catch (IOException | RuntimeException e) {
            try {
                delete(id);
            } catch (IOException | RuntimeException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
    }

    @Override
    public void start(String id) throws IOException {
        run("start", id);
    }

    @Override
    public int exec(String id, String processJson, ShimStdio stdio, ShimClient shim) throws IOException {
        Path dir = tasks.resolve(id);
        String name = "exec-" + Long.toString(System.nanoTime(), 36);
        Path process = dir.resolve(name + ".json");
        Path pidFile = dir.resolve(name + ".pid");
        try {
            Files.writeString(process, processJson);
            List<String> argv = new ArrayList<>(command("--log=" + dir.resolve("oci.log"), "exec", "--detach",
                    "--pid-file=" + pidFile, "--process=" + process));
            String console = console(stdio, argv, shim);
            argv.add(id);
            return spawned(shim, argv, stdio, console, "exec", id, pidFile);
        } finally {
            Files.deleteIfExists(process);
            Files.deleteIfExists(pidFile);
        }
    }

    private static String console(ShimStdio stdio, List<String> argv, ShimClient shim) {
        Path socket = NativeEngine.consoleSocket(stdio);
        if (socket == null) {
            return "";
        }
        // The shim listens in its working directory (the task's); the binary changes its own
        // to the bundle, and a long state path would not fit in sun_path: name it through /proc.
        argv.add("--console-socket=/proc/" + shim.pid() + "/cwd/" + socket);
        return socket.toString();
    }

    /** Has the shim run the binary with {@code argv}; returns the pid it wrote to {@code pidFile}. */
    private int spawned(ShimClient shim, List<String> argv, ShimStdio stdio, String console, String what, String id,
            Path pidFile) throws IOException {
        Instant before = Instant.now();
        int spawned = shim.spawn(binary, argv, List.of("PATH=" + PATH), stdio, console, -1);
        ShimExit exit = await(shim.exitOf(spawned, before), what, id);
        if (exit.status() != 0) {
            shim.release(spawned);
            throw new IOException(binary + " " + what + " " + id + " failed with exit code " + exit.code() + ": "
                    + lastLine(tasks.resolve(id).resolve("oci.log")));
        }
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        shim.associate(spawned, pid);
        return pid;
    }

    private ShimExit await(CompletableFuture<ShimExit> exit, String what, String id) throws IOException {
        try {
            return exit.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(binary + " " + what + " " + id + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + binary + " " + what + " " + id, e);
        }
    }

    /** What the binary logged last (runc: a logrus line; crun: its message). */
    private static String lastLine(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "(no log)" : lines.get(lines.size() - 1).strip();
    }

    @Override
    public ContainerStatus status(String id) throws IOException {
        JsonNode state;
        try {
            state = GoJson.MAPPER.readTree(run("state", id));
        } catch (JctrException e) {
            return ContainerStatus.STOPPED; // the binary no longer knows it
        }
        return switch (state.path("status").asText()) {
            case "creating" -> ContainerStatus.CREATING;
            case "created" -> ContainerStatus.CREATED;
            case "running" -> ContainerStatus.RUNNING;
            case "paused" -> ContainerStatus.PAUSED;
            default -> ContainerStatus.STOPPED;
        };
    }

    @Override
    public void kill(String id, int signal, boolean all) throws IOException {
        if (all) {
            run("kill", "--all", id, Integer.toString(signal));
        } else {
            run("kill", id, Integer.toString(signal));
        }
    }

    @Override
    public void checkpoint(String id, Path imageDir) throws IOException {
        run("checkpoint", "--image-path", imageDir.toString(), "--leave-running", id);
    }

    @Override
    public void pause(String id) throws IOException {
        run("pause", id);
    }

    @Override
    public void resume(String id) throws IOException {
        run("resume", id);
    }

    @Override
    public void update(String id, String resourcesJson) throws IOException {
        JsonNode node;
        try {
            node = resourcesJson == null ? null : GoJson.MAPPER.readTree(resourcesJson);
        } catch (IOException e) {
            throw JctrException.invalidArgument("linux.resources: malformed json: %s", e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw JctrException.invalidArgument("linux.resources: expected an object");
        }
        Path file = tasks.resolve(id).resolve("update-" + Long.toString(System.nanoTime(), 36) + ".json");
        try {
            Files.writeString(file, resourcesJson);
            run("update", "--resources=" + file, id);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public List<Integer> pids(String id) throws IOException {
        String out;
        try {
            out = run("ps", "--format=json", id);
        } catch (JctrException e) {
            if (status(id) == ContainerStatus.STOPPED) {
                return List.of(); // the binary lists only a live container's
            }
            throw e;
        }
        List<Integer> pids = new ArrayList<>();
        GoJson.MAPPER.readTree(out).forEach(n -> pids.add(n.asInt()));
        return pids;
    }

    @Override
    public CgroupStats stats(String id) {
        throw new JctrException(JctrException.Kind.NOT_IMPLEMENTED,
                "statistics of containers run by " + binary + " are not available (container " + id + ")");
    }

    @Override
    public Path config(String id) {
        return tasks.resolve(id).resolve("config.json");
    }

    @Override
    public void delete(String id) throws IOException {
        try {
            run("delete", "--force", id);
        } catch (JctrException e) {
            if (known(id)) {
                throw e;
            }
            // never created, or deleted already: nothing of the binary's to remove
        }
        Path dir = tasks.resolve(id);
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private boolean known(String id) throws IOException {
        try {
            run("state", id);
            return true;
        } catch (JctrException e) {
            return false;
        }
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary, "--root=" + root));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs a command of the binary from this JVM and returns its output.
     *
     * @throws JctrException {@code FAILED_PRECONDITION} with the binary's message when it refuses
     *                       (a container in the wrong state, or unknown); an
     *                       {@link IOException} when it cannot be run
     */
    private String run(String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args));
        pb.environment().clear();
        pb.environment().put("PATH", PATH);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readQuietly(p.getErrorStream()));
        String out = readQuietly(p.getInputStream());
        try {
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(binary + " " + args[0] + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + binary + " " + args[0], e);
        }
        if (p.exitValue() != 0) {
            String message = err.join().strip();
            throw JctrException.failedPrecondition("%s %s: %s", binary, args[0],
                    message.isEmpty() ? "exit code " + p.exitValue() : message.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static String readQuietly(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
