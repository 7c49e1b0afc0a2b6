package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jctr-runc}'s resident server: the first command starts it, later commands are
 * served by it with the caller's stdio, directory, descriptors and signals, and whatever it
 * cannot serve (other namespaces, out-of-date jars, garbage on its socket, switched off) runs
 * in a one-shot JVM with the same result. Each test has its own server on its own socket and
 * stops it, with its containers, even when it fails.
 */
@Tag("root")
class JctrRuncServerTest {

    /** The suite's jctr-runc server, started by this class's commands, does not outlive it. */
    @AfterAll
    static void stopRuncServer() {
        RuncServerProcess.stopSuiteServer();
    }

    private static final long DEADLINE_MILLIS = 60_000;

    @TempDir
    Path work;
    private Path root;
    private Path socket;
    private Map<String, String> env;
    private final List<Process> clients = new ArrayList<>();

    @BeforeEach
    void setUp() {
        root = work.resolve("state");
        socket = work.resolve("srv.sock");
        env = Map.of("JCTR_RUNC_SERVER_SOCKET", socket.toString(), "JCTR_RUNC_SERVER_IDLE", "120");
    }

    @AfterEach
    void cleanUp() throws Exception {
        clients.forEach(Process::destroyForcibly);
        if (Files.isDirectory(root)) {
            for (String id : runc("list", "-q").out().split("\n")) {
                if (!id.isBlank()) {
                    runc("delete", "--force", id.strip());
                }
            }
        }
        RuncServerProcess.stop(socket);
    }

    private List<String> command(String... args) {
        return RuncBundle.runc(root, args);
    }

    private Commands.Result runc(String... args) {
        return Commands.run(command(args), env);
    }

    /** Runs a command that starts the server, and waits until the server serves. */
    private long startServer() throws Exception {
        runc("list").ok();
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (RuncServerProcess.pid(socket) < 0 || !Files.exists(socket)) {
            assertTrue(System.currentTimeMillis() < deadline, "no server started at " + socket + ":\n" + log());
            Thread.sleep(50); // polling: the server starts detached, its pid file is its only signal
        }
        return RuncServerProcess.pid(socket);
    }

    private String log() throws IOException {
        Path log = Path.of(socket + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Starts {@code jctr-runc ARGS} in the background, its stdout and stderr to files in work. */
    private Process client(String name, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(args))
                .redirectOutput(work.resolve(name + ".out").toFile())
                .redirectError(work.resolve(name + ".err").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        clients.add(p);
        return p;
    }

    private void awaitStatus(String id, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (!runc("state", id).out().contains("\"status\": \"" + status + "\"")) {
            assertTrue(System.currentTimeMillis() < deadline, id + " never became " + status + ": " + runc("state", id));
            Thread.sleep(20); // polling runc state, as runc's own tests do: there is no wait command
        }
    }

    @Test
    void theFirstCommandStartsAServerThatServesTheNextOnes() throws Exception {
        assertFalse(Files.exists(socket));
        long server = startServer();
        assertTrue(ProcessHandle.of(server).isPresent());
        // The server left the cgroup of the command that started it (a test's, a service's).
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(server), "cgroup"))) {
            String[] f = line.split(":", 3);
            if (f[1].contains("memory") || f[1].contains("pids") || f[1].isEmpty()) {
                assertEquals("/", f[2], "server's cgroup: " + line);
            }
        }

        RuncBundle b = RuncBundle.create(work.resolve("b1"), "sh", "-c", "read line; echo got $line; exit 7");
        Path stdin = Files.writeString(work.resolve("stdin"), "abc\n");
        Commands.Result r = Commands.run(command("run", "--bundle", b.dir().toString(), "c1"), env, stdin);
        assertEquals(7, r.exitCode(), r.toString());
        assertEquals("got abc\n", r.out(), "the container had the client's stdin and stdout");
        assertEquals("", runc("list", "-q").ok().out());
        assertEquals(server, RuncServerProcess.pid(socket), "the same server served on");
        assertFalse(log().contains("refused"), log());
    }

    @Test
    void aServedForegroundRunForwardsSignalsToTheContainer() throws Exception {
        long server = startServer();
        RuncBundle b = RuncBundle.create(work.resolve("b2"), "sh", "-c", "trap 'echo term; exit 9' TERM; "
                + "echo ready; while true; do sleep 0.1; done");
        Process run = client("run", "run", "--bundle", b.dir().toString(), "c2");
        awaitStatus("c2", "running");
        String exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(run.pid()), "exe")).toString();
        assertTrue(exe.endsWith("jctr-runc-client"), "served by the client, not a one-shot JVM: " + exe);
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (!Files.readString(work.resolve("run.out")).contains("ready")) {
            assertTrue(System.currentTimeMillis() < deadline, "the trap was never set");
            Thread.sleep(20); // polling the container's output file for "ready"
        }
        new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "run did not end after SIGTERM");
        assertEquals(9, run.exitValue(), "the container's trap ran and its code is run's");
        assertEquals("ready\nterm\n", Files.readString(work.resolve("run.out")));
        assertEquals("", runc("list", "-q").ok().out(), "run deleted the container");
        assertEquals(server, RuncServerProcess.pid(socket));
    }

    @Test
    void relativePathsAndPreservedDescriptorsAreTheCallers() throws Exception {
        startServer();
        RuncBundle b = RuncBundle.create(work.resolve("b3"), "sh", "-c", "echo through fd 3 >&3");
        Path out = work.resolve("fd3.txt");
        String script = "cd " + b.dir() + " && exec 3>" + out + " && exec " + String.join(" ",
                command("run", "--bundle", ".", "--pid-file", "run.pid", "--preserve-fds", "1", "c3"));
        Commands.Result r = Commands.run(List.of("sh", "-c", script), env);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("through fd 3\n", Files.readString(out));
        assertTrue(Files.exists(b.dir().resolve("run.pid")), "--pid-file is relative to the caller's directory");

        Commands.Result missing = Commands.run(List.of("sh", "-c", "cd " + b.dir() + " && exec "
                + String.join(" ", command("run", "--preserve-fds", "2", "c3b"))), env);
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("preserved descriptor 3 is not open"), missing.toString());
        assertEquals("", runc("list", "-q").ok().out(), "the failed run left no container");
    }

    @Test
    void aDetachedInitIsNotTheServersChild() throws Exception {
        long server = startServer();
        RuncBundle b = RuncBundle.create(work.resolve("b4"), "sleep", "1000");
        runc("run", "-d", "--bundle", b.dir().toString(), "c4").ok();
        String state = runc("state", "c4").ok().out();
        String pid = state.replaceAll("(?s).*\"pid\": (\\d+).*", "$1");
        String status = Files.readString(Path.of("/proc", pid, "status"));
        String ppid = status.replaceAll("(?s).*\nPPid:\\s*(\\d+).*", "$1");
        assertFalse(ppid.equals(Long.toString(server)), "the init is re-parented as the client's would be");
        assertEquals("2", runc("exec", "c4", "sh", "-c", "exit 2").exitCode() + "");
        runc("kill", "c4", "KILL").ok();
        awaitStatus("c4", "stopped");
        runc("delete", "c4").ok();
    }

    @Test
    void concurrentCommandsAreServedSideBySide() throws Exception {
        startServer();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Commands.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                RuncBundle b = RuncBundle.create(work.resolve("p" + i), "echo", "container " + i);
                String id = "p" + i;
                runs.add(pool.submit(() -> runc("run", "--bundle", b.dir().toString(), id)));
            }
            for (int i = 0; i < 6; i++) {
                Commands.Result r = runs.get(i).get(120, TimeUnit.SECONDS);
                assertEquals("container " + i + "\n", r.ok().out());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("", runc("list", "-q").ok().out());
    }

    @Test
    void aKilledClientLeavesTheServerServing() throws Exception {
        long server = startServer();
        RuncBundle b = RuncBundle.create(work.resolve("b5"), "sleep", "1000");
        Process events = client("events", "events", "--interval", "1s", "c5");
        Process run = client("run", "run", "--bundle", b.dir().toString(), "c5");
        awaitStatus("c5", "running");
        run.destroyForcibly().waitFor();
        events.destroyForcibly().waitFor();
        // As with runc killed in the foreground: the container runs on; delete --force ends it.
        assertTrue(runc("state", "c5").ok().out().contains("\"status\": \"running\""));
        runc("delete", "--force", "c5").ok();
        assertEquals("", runc("list", "-q").ok().out());
        assertEquals(server, RuncServerProcess.pid(socket));
    }

    @Test
    void garbageOnTheSocketIsDroppedAndTheServerServesOn() throws Exception {
        long server = startServer();
        for (byte[] garbage : List.of("GET / HTTP/1.0\r\n\r\n".getBytes(), new byte[] {'J', 'C', 'R', '1', 0x7f, -1, -1, -1},
                new byte[0])) {
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(socket));
                c.write(ByteBuffer.wrap(garbage));
                c.shutdownOutput();
                ByteBuffer in = ByteBuffer.allocate(64);
                int n;
                try {
                    n = c.read(in);
                } catch (java.net.SocketException reset) {
                    n = -1; // closed with our bytes unread: a reset
                }
                assertEquals(-1, n, "the server answers garbage by closing the connection, not a message");
            }
        }
        assertEquals("jctr-runc version", runc("--version").ok().out().lines().findFirst().orElse("").replaceAll(" [^ ]*$", ""));
        RuncBundle b = RuncBundle.create(work.resolve("b6"), "true");
        runc("run", "--bundle", b.dir().toString(), "c6").ok();
        assertEquals(server, RuncServerProcess.pid(socket));
    }

    @Test
    void aClientInOtherNamespacesRunsTheCommandItself() throws Exception {
        startServer();
        RuncBundle b = RuncBundle.create(work.resolve("b7"), "echo", "from a private mount namespace");
        List<String> c = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private"));
        c.addAll(command("run", "--bundle", b.dir().toString(), "c7"));
        Commands.Result r = Commands.run(c, env);
        assertEquals("from a private mount namespace\n", r.ok().out());
        assertTrue(log().contains("refused a command: client is in other namespaces"), log());
    }

    @Test
    void rebuiltJarsRetireTheServer() throws Exception {
        long server = startServer();
        Path jar;
        try (var jars = Files.list(Commands.HOME.resolve("cli/target/quarkus-app/lib/main"))) {
            jar = jars.filter(p -> p.getFileName().toString().startsWith("io.jctr.jctr-runtime-linux-")).findFirst()
                    .orElseThrow();
        }
        FileTime built = Files.getLastModifiedTime(jar);
        try {
            Files.setLastModifiedTime(jar, FileTime.fromMillis(built.toMillis() + 1000));
            assertTrue(runc("list").ok().out().startsWith("ID"), "the refused command ran in a one-shot JVM");
            ProcessHandle.of(server).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
            assertFalse(ProcessHandle.of(server).isPresent(), "the out-of-date server exited");
            assertTrue(log().contains("server is out of date"), log());
        } finally {
            Files.setLastModifiedTime(jar, built);
        }
        long next = startServer();
        assertTrue(next != server, "the next command started a current server");
    }

    @Test
    void anIdleServerExitsAndTheNextCommandStartsAnother() throws Exception {
        env = Map.of("JCTR_RUNC_SERVER_SOCKET", socket.toString(), "JCTR_RUNC_SERVER_IDLE", "1");
        long server = startServer();
        ProcessHandle.of(server).ifPresent(h -> h.onExit().orTimeout(30, TimeUnit.SECONDS).join());
        assertTrue(log().contains("exiting: idle for 1 s"), log());
        assertFalse(Files.exists(socket), "the socket went with the server");
        assertTrue(runc("list").ok().out().startsWith("ID"));
        assertTrue(startServer() != server);
    }

    @Test
    void switchedOffNoServerIsStarted() throws Exception {
        Map<String, String> off = Map.of("JCTR_RUNC_SERVER", "off", "JCTR_RUNC_SERVER_SOCKET", socket.toString());
        RuncBundle b = RuncBundle.create(work.resolve("b8"), "echo", "one-shot");
        assertEquals("one-shot\n", Commands.run(command("run", "--bundle", b.dir().toString(), "c8"), off).ok().out());
        assertFalse(Files.exists(socket), "JCTR_RUNC_SERVER=off never starts a server");
        assertFalse(Files.exists(Path.of(socket + ".pid")));
    }
}
