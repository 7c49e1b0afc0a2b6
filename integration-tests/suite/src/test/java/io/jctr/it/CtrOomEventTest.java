package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * containerd's {@code /tasks/oom} through Debian's {@code ctr}: a container limited to 8 MiB
 * ({@code ctr run --memory-limit}) doubles a shell string until the kernel's OOM killer kills
 * it; {@code ctr events} shows {@code /tasks/oom} for it before its {@code /tasks/exit}. This
 * host has no swap, so the memory limit alone bounds the container (ctr has no swap option).
 */
@Tag("root")
class CtrOomEventTest {

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

    @Test
    void anOomKilledRunShowsTasksOomBeforeItsExit() throws Exception {
        Path out = daemon.dir.resolve("oom-events.txt");
        Process events = new ProcessBuilder(Commands.ctr(daemon.address(), "events")).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            Thread.sleep(500); // the subscription has no readiness signal; ctr subscribes within milliseconds
            var run = Commands.run(Commands.ctr(daemon.address(), "run", "--rm", "--memory-limit",
                    String.valueOf(8L << 20), CtrTasksTest.IMAGE, "oomtest", "sh", "-c",
                    "x=a; while true; do x=$x$x; done"));
            assertEquals(137, run.exitCode(), run + daemon.log());
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.readString(out).contains("/containers/delete") && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling the events file for the last event of the run
            }
            String text = Files.readString(out);
            int oom = text.indexOf("/tasks/oom {\"container_id\":\"oomtest\"}");
            int exit = text.indexOf("/tasks/exit {\"container_id\":\"oomtest\",\"id\":\"oomtest\"");
            assertTrue(oom >= 0 && exit > oom, text);
        } finally {
            events.destroyForcibly().waitFor();
            Commands.run(Commands.ctr(daemon.address(), "tasks", "rm", "-f", "oomtest"));
            Commands.run(Commands.ctr(daemon.address(), "containers", "rm", "oomtest"));
        }
    }
}
