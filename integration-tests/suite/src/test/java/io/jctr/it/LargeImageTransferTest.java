package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A push of an image with a 96 MiB layer to a registry that has none of its blobs: chunked uploads. */
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

}
