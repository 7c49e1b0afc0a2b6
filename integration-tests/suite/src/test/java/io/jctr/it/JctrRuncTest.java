package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jctr-runc} as runc's users drive it: the life cycle and its JSON, exit codes,
 * exec, pause, isolation inside a busybox container, and bad input that must leave nothing
 * behind. Real containers; every test deletes what it made, even when it fails.
 */
@Tag("root")
class JctrRuncTest {

    /** The suite's jctr-runc server, started by this class's commands, does not outlive it. */
    @AfterAll
    static void stopRuncServer() {
        RuncServerProcess.stopSuiteServer();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;
    private Path root;

    @BeforeEach
    void setUp() {
        root = work.resolve("state");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (Files.isDirectory(root)) {
            for (String id : Commands.run(RuncBundle.runc(root, "list", "-q")).out().split("\n")) {
                if (!id.isBlank()) {
                    Commands.run(RuncBundle.runc(root, "delete", "--force", id.strip()));
                }
            }
        }
        String left = Files.readString(Path.of("/proc/self/mountinfo"));
        assertFalse(left.contains(work.toString()), "mounts left under " + work + ":\n" + left);
    }

    private Commands.Result runc(String... args) {
        return Commands.run(RuncBundle.runc(root, args));
    }

    private JsonNode state(String id) throws IOException {
        return JSON.readTree(runc("state", id).ok().out());
    }

    @Test
    void runPrintsAndExitsWithTheProgramsCode() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b1"), "sh", "-c", "echo hello from $$; exit 3");
        Commands.Result r = runc("run", "--bundle", b.dir().toString(), "c1");
        assertEquals(3, r.exitCode(), r.toString());
        assertEquals("hello from 1\n", r.out(), "the init is pid 1 of its own pid namespace");
        assertEquals("", runc("list", "-q").ok().out(), "run without --keep deletes the container");
    }

    @Test
    void createStartKillDeleteWalksTheStatuses() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b2"), "sleep", "1000");
        Path pidFile = work.resolve("pid");
        runc("create", "--bundle", b.dir().toString(), "--pid-file", pidFile.toString(), "c2").ok();
        JsonNode s = state("c2");
        assertEquals("created", s.get("status").asText());
        int pid = s.get("pid").asInt();
        assertEquals(Integer.toString(pid), Files.readString(pidFile));
        assertEquals(b.dir().toString(), s.get("bundle").asText());
        assertTrue(Files.exists(Path.of("/proc/" + pid)));
        assertTrue(runc("list").ok().out().lines().anyMatch(l -> l.startsWith("c2 ") && l.contains("created")));

        runc("start", "c2").ok();
        assertEquals("running", state("c2").get("status").asText());
        Commands.Result again = runc("start", "c2");
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("cannot start an already running container"), again.toString());
        Commands.Result notStopped = runc("delete", "c2");
        assertEquals(1, notStopped.exitCode());
        assertTrue(notStopped.err().contains("is not stopped"), notStopped.toString());

        runc("kill", "c2", "KILL").ok();
        awaitStatus("c2", "stopped");
        assertEquals(0, state("c2").get("pid").asInt());
        Commands.Result killStopped = runc("kill", "c2");
        assertTrue(killStopped.err().contains("container not running"), killStopped.toString());
        runc("delete", "c2").ok();
        Commands.Result gone = runc("state", "c2");
        assertEquals(1, gone.exitCode());
        assertTrue(gone.err().contains("container does not exist"), gone.toString());
    }

    @Test
    void listFormatsAsRunc() throws IOException {
        assertEquals("null", runc("list", "--format", "json").ok().out().strip());
        RuncBundle b = RuncBundle.create(work.resolve("b3"), "sleep", "1000");
        runc("create", "--bundle", b.dir().toString(), "c3").ok();
        JsonNode list = JSON.readTree(runc("list", "-f", "json").ok().out());
        assertEquals(1, list.size());
        assertEquals("c3", list.get(0).get("id").asText());
        assertEquals("root", list.get(0).get("owner").asText());
        assertTrue(runc("list").ok().out().startsWith("ID          PID         STATUS      BUNDLE"));
    }

    @Test
    void execRunsInTheContainersNamespacesAndReturnsItsCode() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b4"), "sleep", "1000");
        runc("run", "-d", "--bundle", b.dir().toString(), "c4").ok();
        Commands.Result hostname = runc("exec", "c4", "hostname");
        assertEquals("runc\n", hostname.ok().out());
        assertEquals(7, runc("exec", "c4", "sh", "-c", "exit 7").exitCode());
        String ps = runc("exec", "c4", "ps", "-o", "pid,args").ok().out();
        assertTrue(ps.lines().anyMatch(l -> l.strip().startsWith("1 sleep 1000")), ps);

        Path process = work.resolve("process.json");
        Files.writeString(process, "{\"args\":[\"sh\",\"-c\",\"echo $GREETING\"],\"env\":[\"GREETING=hi\"],"
                + "\"cwd\":\"/\",\"user\":{\"uid\":65534,\"gid\":65534}}");
        assertEquals("hi\n", runc("exec", "-p", process.toString(), "c4").ok().out());
        Commands.Result missing = runc("exec", "c4", "/no/such/program");
        assertEquals(255, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("/no/such/program"), missing.toString());
    }

    @Test
    void pauseFreezesAndResumeThaws() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b5"), "sleep", "1000");
        runc("run", "-d", "--bundle", b.dir().toString(), "c5").ok();
        runc("pause", "c5").ok();
        assertEquals("paused", state("c5").get("status").asText());
        Commands.Result exec = runc("exec", "c5", "true");
        assertTrue(exec.err().contains("cannot exec in a paused container"), exec.toString());
        runc("resume", "c5").ok();
        assertEquals("running", state("c5").get("status").asText());
        JsonNode pids = JSON.readTree(runc("ps", "--format", "json", "c5").ok().out());
        assertEquals(state("c5").get("pid").asInt(), pids.get(0).asInt());
        assertTrue(runc("ps", "c5").ok().out().contains("sleep 1000"));
    }

    @Test
    void containerSeesOnlyItselfWithTheSpecsRestrictions() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b6"), "sh", "-c",
                "echo /proc/[0-9]*; wc -c < /proc/keys; grep CapEff /proc/self/status; "
                        + "touch /x 2>/dev/null && echo writable || echo read-only");
        b.edit(spec -> ((ObjectNode) spec.get("root")).put("readonly", true));
        Commands.Result r = runc("run", "--bundle", b.dir().toString(), "c6").ok();
        List<String> lines = r.out().lines().toList();
        assertEquals("/proc/1", lines.get(0).strip(), "only the shell itself in /proc: " + r.out());
        // /proc/kcore does not exist on this kernel (the planner masks it only where it does);
        // /proc/keys is in the same maskedPaths list and is not empty on the host.
        assertTrue(Files.size(Path.of("/proc/keys")) == 0 && !Files.readString(Path.of("/proc/keys")).isEmpty());
        assertEquals("0", lines.get(1).strip(), "/proc/keys is masked");
        // CAP_AUDIT_WRITE (29), CAP_KILL (5), CAP_NET_BIND_SERVICE (10)
        assertEquals("CapEff:\t0000000020000420", lines.get(2));
        assertEquals("read-only", lines.get(3));
    }

    @Test
    void procSymlinkInTheImageDoesNotRedirectTheProcMount() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b7"), "true");
        Path hostDir = Files.createDirectories(work.resolve("host-dir"));
        Path proc = b.dir().resolve("rootfs/proc");
        Files.delete(proc);
        Files.createSymbolicLink(proc, hostDir);
        runc("run", "--bundle", b.dir().toString(), "c7");
        try (var entries = Files.list(hostDir)) {
            assertEquals(0, entries.count(), "nothing may be mounted on or written to the host directory");
        }
    }

    @Test
    void badInputIsOneLineAndLeavesNothing() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b8"), "true");
        Path config = b.dir().resolve("config.json");
        String good = Files.readString(config);

        Files.writeString(config, "{\"ociVersion\": ");
        assertOneLineError(runc("create", "--bundle", b.dir().toString(), "bad1"), "malformed json");

        b = rewrite(config, good, spec -> ((ObjectNode) spec.get("root")).remove("path"));
        assertOneLineError(runc("create", "--bundle", b.dir().toString(), "bad2"), "root.path");

        rewrite(config, good, spec -> ((ArrayNode) spec.get("linux").get("namespaces")).addObject().put("type", "bogus"));
        assertOneLineError(runc("create", "--bundle", b.dir().toString(), "bad3"), "bogus");

        Files.writeString(config, good);
        assertOneLineError(runc("create", "--bundle", work.resolve("no-such-bundle").toString(), "bad4"), "no-such-bundle");
        assertOneLineError(runc("create", "--bundle", b.dir().toString(), "a/b"), "invalid container id");
        assertOneLineError(runc("create", "--bundle", b.dir().toString(), ".."), "invalid container id");
        assertEquals("", runc("list", "-q").ok().out(), "no state left by failed creates");

        runc("create", "--bundle", b.dir().toString(), "dup").ok();
        assertOneLineError(runc("create", "--bundle", b.dir().toString(), "dup"), "container with id exists");
        assertEquals("created", state("dup").get("status").asText(), "the first one is untouched");
    }

    @Test
    void deleteForceCleansUpAfterTheInitWasKilled() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b9"), "sleep", "1000");
        runc("run", "-d", "--bundle", b.dir().toString(), "c9").ok();
        int pid = state("c9").get("pid").asInt();
        Commands.run(List.of("kill", "-KILL", Integer.toString(pid))).ok();
        runc("delete", "--force", "c9").ok();
        assertFalse(Files.exists(root.resolve("c9")));
        runc("delete", "--force", "never-existed").ok();
    }

    @Test
    void specRefusesToOverwrite() throws IOException {
        Path dir = Files.createDirectories(work.resolve("spec"));
        Commands.run(RuncBundle.runc(root, "spec", "--bundle", dir.toString())).ok();
        JsonNode spec = JSON.readTree(dir.resolve("config.json").toFile());
        assertEquals("sh", spec.get("process").get("args").get(0).asText());
        assertOneLineError(Commands.run(RuncBundle.runc(root, "spec", "-b", dir.toString())), "exists");
    }

    @Test
    void seccompDeniedSyscallFailsWithEperm() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b10"), "sh", "-c", "mkdir /tmp/denied; echo rc=$?");
        b.edit(spec -> {
            ObjectNode seccomp = ((ObjectNode) spec.get("linux")).putObject("seccomp");
            seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
            ObjectNode rule = seccomp.putArray("syscalls").addObject();
            rule.putArray("names").add("mkdir").add("mkdirat");
            rule.put("action", "SCMP_ACT_ERRNO");
        });
        Commands.Result r = runc("run", "--bundle", b.dir().toString(), "c10").ok();
        assertTrue(r.out().contains("rc=1"), r.toString());
        assertTrue(r.err().contains("Operation not permitted"), r.toString());
    }

    @Test
    void aDeviceTheSpecDoesNotAllowCannotBeOpened() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b11"), "sh", "-c",
                "head -c 1 /dev/kmsg >/dev/null 2>&1 && echo opened || echo denied");
        b.edit(spec -> {
            ObjectNode dev = ((ArrayNode) spec.get("linux").withArray("devices")).addObject();
            dev.put("path", "/dev/kmsg").put("type", "c").put("major", 1).put("minor", 11);
            ObjectNode caps = (ObjectNode) spec.get("process").get("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                ((ArrayNode) caps.get(set)).add("CAP_SYSLOG");
            }
        });
        assertEquals("denied\n", runc("run", "--bundle", b.dir().toString(), "c11").ok().out(),
                "the node exists but the devices cgroup (deny all, then runc's defaults) refuses it");
    }

    @Test
    void aMemoryLimitBelowTheWorkloadOomKillsItAndEventsSeeIt() throws Exception {
        RuncBundle b = RuncBundle.create(work.resolve("b12"), "sleep", "1000");
        b.edit(spec -> ((ObjectNode) spec.get("linux").get("resources")).putObject("memory")
                .put("limit", 16L << 20).put("swap", 16L << 20));
        runc("run", "-d", "--bundle", b.dir().toString(), "c12").ok();
        Path events = work.resolve("events.log");
        Process watcher = new ProcessBuilder(RuncBundle.runc(root, "events", "--interval", "1s", "c12"))
                .redirectOutput(events.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.readString(events).contains("\"type\":\"stats\"")) {
                assertTrue(System.nanoTime() < deadline, "no stats event from jctr-runc events");
                Thread.sleep(50); // polling the events file; no other readiness signal exists
            }
            Commands.Result hog = runc("exec", "c12", "sh", "-c", "x=$(head -c 64m /dev/zero | tr '\\0' x); echo survived");
            assertEquals(137, hog.exitCode(), "the kernel's OOM killer ends it: " + hog);
            while (!Files.readString(events).contains("{\"type\":\"oom\",\"id\":\"c12\"}")) {
                assertTrue(System.nanoTime() < deadline, "no oom event:\n" + Files.readString(events));
                Thread.sleep(50); // polling the events file, as above
            }
        } finally {
            watcher.destroyForcibly().waitFor();
        }
    }

    @Test
    void aFailingLaunchLeavesNoStateCgroupOrProcess() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b13"), "sleep", "1000");
        b.edit(spec -> ((ArrayNode) spec.get("mounts")).addObject().put("destination", "/mnt")
                .put("type", "nosuchfs").put("source", "none"));
        Commands.Result r = runc("run", "-d", "--bundle", b.dir().toString(), "bad5");
        assertOneLineError(r, "No such device"); // mount(2) of an unknown file system type
        assertEquals("", runc("list", "-q").ok().out());
        assertFalse(Files.exists(root.resolve("bad5")));
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/memory/jctr/bad5")), "cgroup left behind");
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/pids/jctr/bad5")), "cgroup left behind");
    }

    private RuncBundle rewrite(Path config, String good, java.util.function.Consumer<ObjectNode> change)
            throws IOException {
        Files.writeString(config, good);
        return RuncBundle.existing(config.getParent()).edit(change);
    }

    private void assertOneLineError(Commands.Result r, String fragment) {
        assertNotEquals(0, r.exitCode(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in: " + r);
    }

    private void awaitStatus(String id, String status) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!state(id).get("status").asText().equals(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(id + " did not become " + status + ": " + state(id));
            }
            Thread.onSpinWait();
        }
    }
}
