package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code jctr run} and the container/task commands end to end against jctrd: the daemon's Run
 * service makes the container (spec, snapshot, /etc files), the CLI drives containerd's Tasks
 * API (FIFOs, Wait, Delete, signals, the terminal) and exits with the container's code, as the
 * same flows with ctr do (CtrTasksTest).
 */
@Tag("root")
class JctrRunTest {

    static final String IMAGE = CtrTasksTest.IMAGE;

    private static JctrDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
        CtrTasksTest.importBusybox(daemon);
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    static Commands.Result jctr(String... args) {
        return Commands.run(Commands.jctr(daemon.address(), args));
    }

    private static Path runFiles(String id) {
        return daemon.state.resolve("io.jctr.grpc.v1.run/containers/default/" + id);
    }

    @Test
    void runRmPrintsTheOutputAndExitsWithTheContainersCode() throws Exception {
        var hello = jctr("run", "--rm", IMAGE, "r1", "echo", "hello");
        assertEquals(0, hello.exitCode(), hello + daemon.log());
        assertEquals("hello\n", hello.out());
        var seven = jctr("run", "--rm", IMAGE, "r2", "sh", "-c", "echo out; echo err >&2; exit 7");
        assertEquals(7, seven.exitCode(), seven.toString());
        assertEquals("out\n", seven.out());
        assertEquals("err\n", seven.err());
        assertFalse(jctr("containers", "ls", "-q").ok().out().contains("r1"));
        assertFalse(Commands.run(Commands.ctr(daemon.address(), "snapshots", "ls")).ok().out().contains("r2"));
        assertFalse(Files.exists(runFiles("r1")), "the container's /etc files go with it");
        assertEquals("", jctr("tasks", "ls", "-q").ok().out());
    }

    @Test
    void anImageNotUnpackedForTheSnapshotterIsUnpackedFirst() {
        var r = jctr("run", "--rm", "--snapshotter", "native", IMAGE, "n1", "echo", "native");
        assertEquals(0, r.exitCode(), r + daemon.log());
        assertEquals("native\n", r.out());
        String snapshots = Commands.run(Commands.ctr(daemon.address(), "snapshots", "--snapshotter", "native", "ls")).ok().out();
        assertTrue(snapshots.contains("Committed") && !snapshots.contains("n1"), snapshots);
    }

    @Test
    void theSpecCarriesTheOptionsAndTheContainerSeesThem() throws Exception {
        var r = jctr("run", "--rm", "--hostname", "box", "--env", "A=1", "--user", "1234:5", "--cwd", "/bin", "--read-only",
                IMAGE, "o1", "sh", "-c", "cat /etc/hostname; echo A=$A; pwd;"
                        + " while read l; do case $l in Uid:*|Gid:*) echo $l;; esac; done < /proc/self/status;"
                        + " case \"$(cat /etc/hosts)\" in *box*) echo 1;; esac; (: > /x) 2>/dev/null || echo read-only");
        assertEquals(0, r.exitCode(), r + daemon.log());
        List<String> lines = r.out().lines().toList();
        assertEquals("box", lines.get(0), r.out());
        assertEquals("A=1", lines.get(1));
        assertEquals("/bin", lines.get(2));
        assertTrue(Pattern.matches("Uid:\\s+1234\\s+1234\\s+1234\\s+1234", lines.get(3)), r.out());
        assertTrue(Pattern.matches("Gid:\\s+5\\s+5\\s+5\\s+5", lines.get(4)), r.out());
        assertEquals("1", lines.get(5));
        assertEquals("read-only", lines.get(6));

        jctr("containers", "create", "--label", "team=a", "--memory-limit", "64m", "--pids-limit", "50", "--cpus", "0.5",
                "--mount", "type=bind,src=" + daemon.dir + ",dst=/host,options=ro", IMAGE, "o2", "true").ok();
        try {
            String spec = jctr("containers", "info", "--spec", "o2").ok().out();
            assertTrue(spec.contains("\"limit\": 67108864") && spec.contains("\"limit\": 50") && spec.contains("\"quota\": 50000"), spec);
            assertTrue(spec.contains("\"destination\": \"/host\"") && spec.contains("\"SCMP_ACT_ERRNO\""), spec);
            assertTrue(spec.contains("\"cgroupsPath\": \"/default/o2\""), spec);
            String info = jctr("containers", "info", "o2").ok().out();
            assertTrue(info.contains("\"io.containerd.image.config.stop-signal\": \"SIGTERM\"") && info.contains("\"team\": \"a\""), info);
            assertTrue(info.contains("\"Name\": \"io.containerd.runc.v2\"") && info.contains("\"SnapshotKey\": \"o2\""), info);
            assertEquals("team=b", jctr("containers", "label", "o2", "team=b").ok().out().lines()
                    .map(l -> l.replaceAll(".*(team=[a-z]).*", "$1")).findFirst().orElse(""));
            // ctr reads the record jctr made: the spec Any decodes
            assertTrue(Commands.run(Commands.ctr(daemon.address(), "containers", "info", "o2")).ok().out().contains("\"/default/o2\""));
        } finally {
            jctr("containers", "rm", "o2");
        }
        assertFalse(Files.exists(runFiles("o2")));
    }

    @Test
    void aDetachedContainerLogsExecsAndIsKilledAndRemoved() throws Exception {
        var d = jctr("run", "-d", IMAGE, "d1", "sh", "-c", "echo started; sleep 1000");
        assertEquals(0, d.exitCode(), d + daemon.log());
        try {
            awaitLog("d1", "started\n");
            assertTrue(taskLine("d1").matches("d1\\s+\\d+\\s+RUNNING\\s*"), taskLine("d1"));
            String pid = taskLine("d1").split("\\s+")[1];
            assertTrue(jctr("tasks", "ps", "d1").ok().out().contains(pid));
            assertEquals("in\n", jctr("tasks", "exec", "--exec-id", "e1", "d1", "echo", "in").ok().out());
            assertEquals(3, jctr("tasks", "exec", "d1", "sh", "-c", "exit 3").exitCode());
            jctr("tasks", "pause", "d1").ok();
            assertTrue(taskLine("d1").contains("PAUSED"));
            jctr("tasks", "resume", "d1").ok();
            assertTrue(jctr("tasks", "metrics", "d1").ok().out().contains("pids.current"));
            assertTrue(jctr("tasks", "metrics", "--format", "json", "d1").ok().out().contains("\"pids\""));
            var busy = jctr("containers", "rm", "d1");
            assertEquals(1, busy.exitCode(), busy.toString());
            assertTrue(busy.err().contains("running"), busy.toString());
            jctr("tasks", "kill", "-s", "SIGKILL", "d1").ok();
            awaitStatus("d1", "STOPPED");
            assertEquals("started\n", jctr("logs", "-f", "d1").ok().out(), "follow ends with the task");
        } finally {
            jctr("tasks", "rm", "-f", "d1");
            jctr("containers", "rm", "d1");
        }
        assertFalse(jctr("containers", "ls", "-q").ok().out().contains("d1"));
        assertFalse(Files.exists(runFiles("d1")), "the log goes with the container");
        assertEquals(List.of(), StrayProcesses.mountsUnder(daemon.state));
    }

    @Test
    void startAndAttachWaitForTheExitCode() throws Exception {
        jctr("containers", "create", IMAGE, "s1", "sh", "-c", "echo later; exit 5").ok();
        try {
            var start = jctr("tasks", "start", "s1");
            assertEquals(5, start.exitCode(), start + daemon.log());
            assertEquals("later\n", start.out());
        } finally {
            jctr("containers", "rm", "s1");
        }
        jctr("run", "-d", IMAGE, "a1", "sh", "-c", "sleep 1; echo late; exit 4").ok();
        try {
            var attach = jctr("tasks", "attach", "a1");
            assertEquals(4, attach.exitCode(), attach.toString());
            assertTrue(attach.out().contains("late"), attach.toString());
        } finally {
            jctr("tasks", "rm", "-f", "a1");
            jctr("containers", "rm", "a1");
        }
    }

    @Test
    void interactiveStdinReachesTheContainerAndEnds() throws Exception {
        Path input = daemon.dir.resolve("stdin.txt");
        Files.writeString(input, "hi\nthere\n");
        var r = Commands.run(Commands.jctr(daemon.address(), "run", "--rm", "-i", IMAGE, "i1", "cat"), Map.of(), input);
        assertEquals(0, r.exitCode(), r + daemon.log());
        assertEquals("hi\nthere\n", r.out());
        var without = Commands.run(Commands.jctr(daemon.address(), "run", "--rm", IMAGE, "i2", "cat"), Map.of(), input);
        assertEquals("", without.ok().out(), "without -i the process's stdin is empty");
    }

    @Test
    void aTerminalRunGetsAPtyAndItsSize() throws Exception {
        String command = String.join(" ", Commands.jctr(daemon.address(), "run", "-t", "--rm", IMAGE, "t1",
                "sh", "-c", "'[ -t 0 ] && [ -t 1 ] && echo is-a-tty; exit 3'"));
        var r = Commands.run(List.of("script", "-qec", "stty cols 100 rows 30; " + command, "/dev/null"));
        assertEquals(3, r.exitCode(), r + daemon.log());
        assertTrue(r.out().contains("is-a-tty"), r.toString());
    }

    @Test
    void aMissingImageIsPulledFromTheRegistry() throws Exception {
        Path work = Files.createDirectories(daemon.dir.resolve("registry"));
        try (LocalRegistry registry = LocalRegistry.start(work)) {
            String ref = registry.push(BusyboxImage.layout(Files.createDirectories(work.resolve("img"))), "latest", "pulled");
            var r = jctr("run", "--rm", ref, "p1", "echo", "ran");
            assertEquals(0, r.exitCode(), r + daemon.log());
            assertEquals("ran\n", r.out());
            assertTrue(r.err().contains(ref + ": resolving") && r.err().contains("\nlayer sha256:"), "the pull's progress on stderr: " + r.err());
            assertTrue(jctr("images", "ls", "-q").ok().out().contains(ref));
            var again = jctr("run", "--rm", ref, "p2", "echo", "again");
            assertEquals("", again.ok().err(), "present now: no pull");
        }
    }

    @Test
    void eventsShowARunsTaskEvents() throws Exception {
        Path out = daemon.dir.resolve("jctr-events.txt");
        Process events = new ProcessBuilder(Commands.jctr(daemon.address(), "events", "--format", "json", "topic~=/tasks/"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            Thread.sleep(1500); // the subscription has no readiness signal; the client JVM subscribes within a second
            jctr("run", "--rm", IMAGE, "ev1", "true").ok();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.readString(out).contains("/tasks/delete") && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling the events file for the last task event of the run
            }
            String text = Files.readString(out);
            assertTrue(text.contains("\"topic\":\"/tasks/exit\",\"event\":{\"container_id\":\"ev1\""), text);
            assertFalse(text.contains("/containers/"), "the filter applies: " + text);
        } finally {
            events.destroyForcibly().waitFor();
        }
    }

    @Test
    void completionScriptsComeFromTheCommandTree() {
        String bash = jctr("completion", "bash").ok().out();
        assertTrue(bash.contains("complete -F") && bash.contains("containers") && bash.contains("--memory-limit"), bash);
        assertTrue(jctr("completion", "zsh").ok().out().startsWith("autoload -U +X compinit"));
    }

    @Test
    void badInputIsNamedAndLeavesNothing() throws Exception {
        jctr("containers", "create", IMAGE, "b1", "true").ok();
        try {
            String snapshotsBefore = Commands.run(Commands.ctr(daemon.address(), "snapshots", "ls")).ok().out();
            var dup = jctr("run", "--rm", IMAGE, "b1", "true");
            assertEquals(1, dup.exitCode(), dup.toString());
            assertEquals("jctr: container \"b1\": already exists\n", dup.err());
            assertTrue(Files.exists(runFiles("b1")), "the existing container keeps its files");
            assertEquals(snapshotsBefore, Commands.run(Commands.ctr(daemon.address(), "snapshots", "ls")).ok().out());
        } finally {
            jctr("containers", "rm", "b1").ok();
        }
        expectError(List.of("--mount", "type=bind,src=/nosuch,dst=/x"), "--mount type=bind,src=/nosuch,dst=/x: src /nosuch does not exist");
        expectError(List.of("--mount", "src=/tmp"), "--mount src=/tmp: type is missing");
        expectError(List.of("--user", "nosuch"), "--user \"nosuch\": no user \"nosuch\" in the image's /etc/passwd");
        expectError(List.of("--memory-limit", "-1"), "--memory-limit -1: must not be negative");
        expectError(List.of("--net", "bridge"), "--net bridge: want host or none");
        expectError(List.of("--cap-add", "CAP_NOPE"), "--cap-add CAP_NOPE: unknown capability");
        var notFound = jctr("containers", "create", "--pull", "never", "jctr.test/nosuch:1", "b6", "true");
        assertEquals("jctr: image \"jctr.test/nosuch:1\": not found\n", notFound.err(), "the Run service's NOT_FOUND names the image");
        var both = jctr("run", "--rm", "-d", IMAGE, "b3", "true");
        assertEquals("jctr: --rm and --detach cannot be used together\n", both.err());
        var refused = jctr("run", "--rm", "127.0.0.1:1/nosuch:1", "b4", "true");
        assertEquals(1, refused.exitCode());
        assertTrue(refused.err().contains("image 127.0.0.1:1/nosuch:1 is not in the daemon's store, and pulling it failed: registry 127.0.0.1:1"),
                refused.toString());
        var nosuchcmd = jctr("run", "--rm", IMAGE, "b5", "/nosuchcmd");
        assertEquals(1, nosuchcmd.exitCode(), nosuchcmd.toString());
        assertTrue(nosuchcmd.err().contains("/nosuchcmd"), nosuchcmd.toString());

        assertEquals("", jctr("containers", "ls", "-q").ok().out());
        String snapshots = Commands.run(Commands.ctr(daemon.address(), "snapshots", "ls")).ok().out();
        assertTrue(snapshots.lines().skip(1).allMatch(l -> l.startsWith("sha256:")), "only the image's layers: " + snapshots);
        assertEquals(1, Commands.run(Commands.ctr(daemon.address(), "leases", "ls")).ok().out().lines().count(), "no lease left");
        assertEquals(List.of(), StrayProcesses.mountsUnder(daemon.state));
    }

    private static void expectError(List<String> options, String message) {
        List<String> args = new ArrayList<>(List.of("run", "--rm"));
        args.addAll(options);
        args.addAll(List.of(IMAGE, "b2", "true"));
        var r = jctr(args.toArray(String[]::new));
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("jctr: " + message + ": invalid argument\n", r.err());
    }

    private static String taskLine(String id) {
        String ls = jctr("tasks", "ls").ok().out();
        return ls.lines().filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow(() -> new AssertionError(ls));
    }

    private static void awaitStatus(String id, String status) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!taskLine(id).contains(status) && System.nanoTime() < deadline) {
            Thread.sleep(20); // the exit is asynchronous to Kill
        }
        assertTrue(taskLine(id).contains(status), taskLine(id));
    }

    private static void awaitLog(String id, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!jctr("logs", id).ok().out().equals(text) && System.nanoTime() < deadline) {
            Thread.sleep(50); // the container writes its log on its own time
        }
        assertEquals(text, jctr("logs", id).ok().out());
    }
}
