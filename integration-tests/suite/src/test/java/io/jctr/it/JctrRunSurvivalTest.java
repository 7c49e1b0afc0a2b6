package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A container started with {@code jctr run -d} keeps writing its {@code file://} log while jctrd
 * is down (the shim holds the log, not the daemon); the restarted daemon shows the whole log
 * through {@code jctr logs}, the exit code through {@code jctr tasks}, and removing the
 * container takes its log and /etc files with it.
 */
@Tag("root")
class JctrRunSurvivalTest {

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

    private Commands.Result jctr(String... args) {
        return Commands.run(Commands.jctr(daemon.address(), args));
    }

    @Test
    void aDetachedContainersLogAndExitCodeSurviveADaemonKill() throws Exception {
        jctr("run", "-d", CtrTasksTest.IMAGE, "v1", "sh", "-c",
                "echo before; while [ ! -e /go ]; do sleep 0.1; done; echo after the daemon died; exit 3").ok();
        Path files = daemon.state.resolve("io.jctr.grpc.v1.run/containers/default/v1");
        awaitLog(files.resolve("log"), "before\n");

        daemon.killDaemonOnly();
        assertFalse(daemon.accepts(), "the daemon still answers");
        Files.writeString(daemon.state.resolve("io.jctr.tasks.v1.tasks-service/bundles/default/v1/rootfs/go"), "");
        awaitLog(files.resolve("log"), "before\nafter the daemon died\n");

        daemon.start();
        assertEquals("before\nafter the daemon died\n", jctr("logs", "v1").ok().out());
        assertTrue(jctr("tasks", "ls").ok().out().lines().anyMatch(l -> l.matches("v1\\s+\\d+\\s+STOPPED")), daemon.log());
        var rm = jctr("tasks", "rm", "v1").ok();
        assertEquals("jctr: task v1 exited with code 3\n", rm.err());
        jctr("containers", "rm", "v1").ok();
        assertFalse(Files.exists(files), "the log and /etc files go with the container");
        assertEquals("", jctr("containers", "ls", "-q").ok().out());
        assertEquals(List.of(), StrayProcesses.mountsUnder(daemon.dir));
    }

    private static void awaitLog(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).equals(text)) {
                return;
            }
            Thread.sleep(50); // the shim writes the log; polling the file is the only view there is
        }
        throw new AssertionError("not \"" + text + "\" in " + log + (Files.exists(log) ? ":\n" + Files.readString(log) : " (missing)"));
    }
}
