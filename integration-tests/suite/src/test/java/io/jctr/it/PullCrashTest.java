package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * SIGKILL jctrd while ctr is pulling (once the layer's ingest has data), start it again on the
 * same root, pull again: the pull completes and the image is unpacked.
 */
@Tag("root")
class PullCrashTest {

    @Test
    void aPullInterruptedByADaemonCrashCompletesAfterRestart() throws Exception {
        try (JctrDaemon daemon = JctrDaemon.create().start()) {
            Path work = Files.createDirectories(daemon.dir.resolve("registry"));
            try (LocalRegistry registry = LocalRegistry.start(work)) {
                String ref = registry.push(BusyboxImage.layout(work, 96 << 20), "latest", "big");
                Process pull = new ProcessBuilder(ctr(daemon.address(), "-n", "crash", "images", "pull", "--plain-http", ref))
                        .redirectErrorStream(true).redirectOutput(daemon.dir.resolve("pull1.log").toFile()).start();
                boolean killedMidway = false;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (pull.isAlive() && System.nanoTime() < deadline) {
                    if (ingestHasData(daemon.root)) {
                        daemon.kill();
                        killedMidway = true;
                        break;
                    }
                    Thread.sleep(2); // polling the store; nothing signals "ingest in progress"
                }
                pull.waitFor(30, TimeUnit.SECONDS);
                pull.destroyForcibly();
                assertTrue(killedMidway, "the daemon was killed while the layer was being written:\n"
                        + Files.readString(daemon.dir.resolve("pull1.log")));

                daemon.start();
                var again = run(ctr(daemon.address(), "-n", "crash", "images", "pull", "--plain-http", ref));
                assertEquals(0, again.exitCode(), again + "\n" + daemon.log());
                var snaps = run(ctr(daemon.address(), "-n", "crash", "snapshots", "ls")).ok();
                assertTrue(snaps.out().lines().anyMatch(l -> l.startsWith("sha256:") && l.contains("Committed")), snaps.toString());
                var images = run(ctr(daemon.address(), "-n", "crash", "images", "ls", "-q")).ok();
                assertEquals(ref + "\n", images.out(), images.toString());
                var ingests = run(ctr(daemon.address(), "-n", "crash", "content", "active")).ok();
                assertTrue(ingests.out().lines().count() <= 1, "no ingest left behind:\n" + ingests);
            }
        }
    }

    /** Whether some ingest holds more than 1 MiB; the daemon creates and removes files meanwhile. */
    private static boolean ingestHasData(Path root) {
        Path ingests = root.resolve("io.jctr.content.v1.local/ingest");
        try (Stream<Path> dirs = Files.list(ingests)) {
            return dirs.anyMatch(d -> d.resolve("data").toFile().length() > (1 << 20));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // not there yet, or changing under us: look again
        }
    }
}
