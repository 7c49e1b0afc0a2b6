package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, {@code bin/jctr-demo}, exactly as a user runs it (with its own daemon
 * on a private socket): a container started from an image, and nothing left behind.
 */
@Tag("root")
class MainJobTest {

    /** The suite's jctr-runc server, started by this class's commands, does not outlive it. */
    @AfterAll
    static void stopRuncServer() {
        RuncServerProcess.stopSuiteServer();
    }

    @Test
    void theDemoRunsAContainerFromAnImageAndCleansUp(@TempDir Path dir) throws IOException {
        Path socket = dir.resolve("demo.sock");
        Commands.Result r = Commands.run(List.of(Commands.HOME.resolve("bin/jctr-demo").toString()),
                Map.of("JCTR_ADDRESS", socket.toString()));
        r.ok();
        assertTrue(r.out().contains("hello from a jctr container: jctr-demo, pid 1, Linux"), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.equals("bin")), "the container listed its / :" + r);
        assertFalse(Files.exists(socket), "the daemon it started was stopped");
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains("/tmp/jctr-demo."),
                "the demo left a mount behind");
    }
}
