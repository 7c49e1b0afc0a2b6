package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Tasks outlive the daemon (issue 9's survival case): 10 containers run; jctrd is SIGKILLed;
 * while it is down one container exits with code 3 and another writes to its log; the restarted
 * jctrd finds 9 running and controllable, the 10th stopped with status 3, the log line written,
 * every container record kept; and once all are removed nothing is left: no mount, cgroup, shim
 * or container process, no state file.
 */
@Tag("root")
class TaskSurvivalTest {

    private static final int TASKS = 10;

    private JctrDaemon daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = JctrDaemon.create().start();
        CtrTasksTest.importBusybox(daemon);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private Commands.Result ctr(String... args) {
        return Commands.run(Commands.ctr(daemon.address(), args));
    }

    /** A container that waits for {@code /go} to appear in its root, then runs {@code then}. */
    private static String waitForGo(String then) {
        return "while [ ! -e /go ]; do sleep 0.1; done; " + then;
    }

    @Test
    void tasksKeepRunningAndExitCodesAndLogsSurviveADaemonKill() throws Exception {
        Path log = daemon.dir.resolve("s1.log");
        ctr("run", "-d", CtrTasksTest.IMAGE, "s0", "sh", "-c", waitForGo("exit 3")).ok();
        ctr("run", "-d", "--log-uri", "file://" + log, CtrTasksTest.IMAGE, "s1", "sh", "-c",
                "echo before; " + waitForGo("echo after the daemon died; sleep 1000")).ok();
        for (int i = 2; i < TASKS; i++) {
            ctr("run", "-d", CtrTasksTest.IMAGE, "s" + i, "sleep", "1000").ok();
        }
        awaitLog(log, "before");

        daemon.killDaemonOnly();
        assertFalse(daemon.accepts(), "the daemon still answers");
        Path bundles = daemon.state.resolve("io.jctr.tasks.v1.tasks-service/bundles/default");
        Files.writeString(bundles.resolve("s0/rootfs/go"), "");
        Files.writeString(bundles.resolve("s1/rootfs/go"), "");
        awaitLog(log, "after the daemon died");
        Thread.sleep(500); // s0 polls for /go every 100 ms; nothing can signal its exit while the daemon is down

        daemon.start();
        String ls = ctr("tasks", "ls").ok().out();
        for (int i = 1; i < TASKS; i++) {
            String id = "s" + i;
            assertTrue(ls.lines().anyMatch(l -> l.matches(id + "\\s+\\d+\\s+RUNNING")), id + " in\n" + ls + daemon.log());
        }
        assertTrue(ls.lines().anyMatch(l -> l.matches("s0\\s+\\d+\\s+STOPPED")), ls + daemon.log());
        String containers = ctr("containers", "ls", "-q").ok().out();
        for (int i = 0; i < TASKS; i++) {
            assertTrue(containers.lines().anyMatch(("s" + i)::equals), "s" + i + " in\n" + containers);
        }

        assertEquals("in\n", ctr("tasks", "exec", "--exec-id", "e1", "s2", "echo", "in").ok().out());
        ctr("tasks", "pause", "s3").ok();
        assertTrue(ctr("tasks", "ls").ok().out().lines().anyMatch(l -> l.matches("s3\\s+\\d+\\s+PAUSED")));
        ctr("tasks", "resume", "s3").ok();
        var rm0 = ctr("tasks", "rm", "s0").ok();
        assertTrue(rm0.err().contains("exit code 3"), rm0.toString());

        for (int i = 1; i < TASKS; i++) {
            ctr("tasks", "rm", "-f", "s" + i).ok();
        }
        for (int i = 0; i < TASKS; i++) {
            ctr("containers", "rm", "s" + i).ok();
        }
        assertTrue(ctr("tasks", "ls", "-q").ok().out().isBlank());
        assertEquals(List.of(), StrayProcesses.mountsUnder(daemon.dir));
        List<Long> daemonTree = new ArrayList<>(daemon.process().descendants().map(ProcessHandle::pid).toList());
        daemonTree.add(daemon.process().pid());
        List<Long> strays = StrayProcesses.under(daemon.dir).stream().filter(p -> !daemonTree.contains(p)).toList();
        assertEquals(List.of(), strays, "processes left behind");
        assertEquals(List.of(), cgroupsLeft());
        try (Stream<Path> left = Files.walk(daemon.state).filter(Files::isRegularFile)
                .filter(p -> p.toString().contains("/default/"))) {
            assertEquals(List.of(), left.toList(), "task state left behind");
        }
    }

    private static void awaitLog(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            Thread.sleep(50); // the log file is written by the shim; polling it is the only view there is
        }
        throw new AssertionError("no \"" + line + "\" in " + log + (Files.exists(log) ? ":\n" + Files.readString(log) : " (missing)"));
    }

    /** The task cgroups (/jctr/default/s*) still present in any v1 hierarchy. */
    private static List<Path> cgroupsLeft() throws Exception {
        List<Path> left = new ArrayList<>();
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) {
                for (int i = 0; i < TASKS; i++) {
                    Path c = h.resolve("jctr/default/s" + i);
                    if (Files.isDirectory(c)) {
                        left.add(c);
                    }
                }
            }
        }
        return left;
    }
}
