package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An image with a 96 MiB layer: a pull whose client goes away stops in the daemon (its lease
 * goes, the ingest stops growing) and a later pull completes; a push to a registry that has none
 * of the blobs uploads the large layer in chunks.
 */
@Tag("root")
class LargeImageTransferTest {

    private static JctrDaemon daemon;
    private static LocalRegistry registry;
    private static LocalRegistry other;
    private static String ref;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
        Path work = Files.createDirectories(daemon.dir.resolve("registry"));
        registry = LocalRegistry.start(work);
        other = LocalRegistry.start(Files.createDirectories(daemon.dir.resolve("other")));
        ref = registry.push(BusyboxImage.layout(work, 96 << 20), "latest", "large");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (other != null) {
            other.close();
        }
        daemon.close();
    }

    @Test
    void aPullWhoseClientGoesAwayStopsAndALaterPullCompletes() throws Exception {
        Process pull = new ProcessBuilder(jctr(daemon.address(), "-n", "cancel", "images", "pull", ref)).redirectErrorStream(true)
                .redirectOutput(daemon.dir.resolve("cancel.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pull.isAlive() && ingestBytes() < (1 << 20) && System.nanoTime() < deadline) {
            Thread.sleep(2); // polling the store: nothing signals "download in progress"
        }
        List<ProcessHandle> all = new ArrayList<>(pull.descendants().toList());
        all.add(pull.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        all.forEach(h -> h.onExit().join());
        long atKill = ingestBytes();
        assertTrue(atKill > 0 && atKill < (96 << 20), "killed mid-download: " + atKill + " bytes\n"
                + Files.readString(daemon.dir.resolve("cancel.log")));

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String leases = "";
        while (System.nanoTime() < until) {
            leases = run(ctr(daemon.address(), "-n", "cancel", "leases", "ls", "-q")).ok().out();
            if (leases.isEmpty()) {
                break;
            }
            Thread.sleep(50); // the daemon notices the closed stream asynchronously
        }
        assertEquals("", leases, "the cancelled pull's lease is gone");
        long stopped = ingestBytes();
        Thread.sleep(500);
        assertEquals(stopped, ingestBytes(), "the download stopped");
        assertEquals("", run(ctr(daemon.address(), "-n", "cancel", "images", "ls", "-q")).ok().out());

        var again = run(jctr(daemon.address(), "-n", "cancel", "images", "pull", ref));
        assertEquals(0, again.exitCode(), again + "\n" + daemon.log());
        assertEquals(ref + "\n", run(ctr(daemon.address(), "-n", "cancel", "images", "ls", "-q")).ok().out());
    }

    @Test
    void pushUploadsALargeLayerInChunks() {
        run(jctr(daemon.address(), "-n", "push", "images", "pull", "--no-unpack", ref)).ok();
        String target = other.address + "/copied/large:v1";
        run(jctr(daemon.address(), "-n", "push", "images", "tag", ref, target)).ok();
        var push = run(jctr(daemon.address(), "-n", "push", "images", "push", target));
        assertEquals(0, push.exitCode(), push + "\n" + daemon.log());
        assertTrue(push.out().matches("(?s).*layer sha256:[0-9a-f]{64}: uploading.*"), push.out());
        String digest = run(ctr(daemon.address(), "-n", "push", "images", "ls")).ok().out().lines()
                .filter(l -> l.startsWith(target)).findFirst().orElseThrow().split("\\s+")[2];
        var inspect = run(List.of("skopeo", "inspect", "--tls-verify=false", "docker://" + target)).ok();
        assertTrue(inspect.out().contains("\"Digest\": \"" + digest + "\""), inspect.out());
        // skopeo can copy it back out: every blob arrived intact
        run(List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false", "docker://" + target,
                "oci:" + daemon.dir.resolve("copied-back") + ":v1")).ok();
    }

    /** Bytes in the content store's ingests; the daemon creates and removes them meanwhile. */
    private static long ingestBytes() {
        Path ingests = daemon.root.resolve("io.jctr.content.v1.local/ingest");
        try (Stream<Path> dirs = Files.list(ingests)) {
            return dirs.mapToLong(d -> d.resolve("data").toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // not there yet, or changing under us
        }
    }
}
