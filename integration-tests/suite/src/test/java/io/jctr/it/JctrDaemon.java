package io.jctr.it;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A jctrd started through bin/jctr in a private directory (socket, root, state, plugins), for
 * one test. {@link #close} stops it and removes the directory, whatever state the test left.
 */
final class JctrDaemon implements AutoCloseable {

    final Path dir;
    final Path socket;
    final Path root;
    final Path state;
    final Path pluginsDir;
    final Path log;
    private final List<String> extraArgs;
    /** Variables added to the daemon's environment at {@link #start}, e.g. JCTR_DAEMON_JAVA_OPTS. */
    final Map<String, String> environment = new java.util.HashMap<>();
    private Process process;

    private JctrDaemon(Path dir, List<String> extraArgs) {
        this.dir = dir;
        this.socket = dir.resolve("jctr.sock");
        this.root = dir.resolve("root");
        this.state = dir.resolve("state");
        this.pluginsDir = dir.resolve("plugins");
        this.log = dir.resolve("daemon.log");
        this.extraArgs = extraArgs;
    }

    /** A daemon not yet started, in a fresh directory. */
    static JctrDaemon create(String... extraArgs) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "jctr-it-");
        Files.createDirectories(dir.resolve("plugins"));
        return new JctrDaemon(dir, List.of(extraArgs));
    }

    String address() {
        return socket.toString();
    }

    List<String> command() {
        List<String> c = new ArrayList<>(List.of(Commands.JCTR.toString(), "daemon", "--address", socket.toString(),
                "--root", root.toString(), "--state", state.toString(), "--plugins-dir", pluginsDir.toString()));
        c.addAll(extraArgs);
        return c;
    }

    /** The same daemon with {@code --config FILE} replacing any {@code --config} given before. */
    JctrDaemon withConfig(Path file) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < extraArgs.size(); i++) {
            if (extraArgs.get(i).equals("--config")) {
                i++;
                continue;
            }
            args.add(extraArgs.get(i));
        }
        args.addAll(List.of("--config", file.toString()));
        return new JctrDaemon(dir, args);
    }

    /** Starts the daemon and waits until its socket accepts connections. */
    JctrDaemon start() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(environment);
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("daemon exited with " + process.exitValue() + ":\n" + log());
            }
            if (accepts()) {
                return this;
            }
            Thread.sleep(20); // polling for the socket; there is no readiness signal to wait on
        }
        throw new AssertionError("daemon did not open " + socket + " within 60 s:\n" + log());
    }

    boolean accepts() {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    Process process() {
        return process;
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("daemon did not stop on SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    /**
     * SIGKILL to the daemon's JVM and its launcher only, as a crash of the daemon alone would:
     * its children (the tasks' shims) are left running, re-parented to init.
     */
    void killDaemonOnly() {
        List<ProcessHandle> jvm = new ArrayList<>(process.descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).toList());
        jvm.add(process.toHandle());
        jvm.forEach(ProcessHandle::destroyForcibly);
        jvm.forEach(h -> h.onExit().join());
    }

    /** SIGKILL to the daemon and its launcher, as a crash would. */
    void kill() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(h -> h.onExit().join());
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            all.forEach(h -> h.onExit().join());
        }
        StrayProcesses.killUnder(dir);
        StrayProcesses.unmountUnder(dir);
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
