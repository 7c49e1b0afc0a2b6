package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ctr images pull} against jctrd from a local docker-registry: ctr fetches the blobs
 * into jctrd's content store and has jctrd unpack the layer into a snapshot (Snapshots.Prepare,
 * Diff.Apply, Snapshots.Commit), on each snapshotter; the unpacked busybox is then checked
 * through a view of the committed snapshot.
 */
@Tag("root")
class ImagePullTest {

    private static JctrDaemon daemon;
    private static LocalRegistry registry;
    private static String ref;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
        Path work = Files.createDirectories(daemon.dir.resolve("registry"));
        registry = LocalRegistry.start(work);
        ref = registry.push(BusyboxImage.layout(work), "latest", "busybox");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        daemon.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlayfs", "native"})
    void pullUnpacksIntoACommittedSnapshot(String snapshotter) throws Exception {
        String ns = "pull-" + snapshotter;
        var pull = run(ctr(daemon.address(), "-n", ns, "images", "pull", "--plain-http", "--snapshotter", snapshotter, ref));
        assertEquals(0, pull.exitCode(), pull + "\n" + daemon.log());
        assertTrue(pull.out().contains("done"), pull.toString());

        var images = run(ctr(daemon.address(), "-n", ns, "images", "ls")).ok();
        assertTrue(images.out().contains(ref), images.toString());
        var snaps = run(ctr(daemon.address(), "-n", ns, "snapshots", "--snapshotter", snapshotter, "ls")).ok();
        assertTrue(Pattern.compile("(?m)^sha256:[0-9a-f]{64}\\s+Committed").matcher(snaps.out()).find(), snaps.toString());
        var content = run(ctr(daemon.address(), "-n", ns, "content", "ls")).ok();
        assertTrue(content.out().contains("containerd.io/uncompressed=sha256:"), content.toString());

        // look inside: a view of the top snapshot, mounted with the command ctr prints
        String chain = snaps.out().lines().filter(l -> l.startsWith("sha256:")).findFirst().orElseThrow().split("\\s+")[0];
        run(ctr(daemon.address(), "-n", ns, "snapshots", "--snapshotter", snapshotter, "view", "look", chain)).ok();
        Path mnt = Files.createDirectories(daemon.dir.resolve("look-" + snapshotter));
        String mountCmd = run(ctr(daemon.address(), "-n", ns, "snapshots", "--snapshotter", snapshotter, "mounts",
                mnt.toString(), "look")).ok().out().trim();
        run(List.of("sh", "-c", mountCmd)).ok();
        try {
            assertTrue(Files.isRegularFile(mnt.resolve("bin/busybox")), "busybox unpacked");
            assertEquals(Path.of("busybox"), Files.readSymbolicLink(mnt.resolve("bin/sh")));
            assertEquals("root:x:0:0:root:/root:/bin/sh\n", Files.readString(mnt.resolve("etc/passwd")));
        } finally {
            run(List.of("umount", mnt.toString())).ok();
        }
        run(ctr(daemon.address(), "-n", ns, "snapshots", "--snapshotter", snapshotter, "rm", "look")).ok();

        // a second pull finds everything present
        run(ctr(daemon.address(), "-n", ns, "images", "pull", "--plain-http", "--snapshotter", snapshotter, ref)).ok();
    }

    @Test
    void removingTheLastImageCollectsItsContentAndSnapshots() {
        String ns = "gc";
        run(ctr(daemon.address(), "-n", ns, "images", "pull", "--plain-http", ref)).ok();
        run(ctr(daemon.address(), "-n", ns, "images", "tag", ref, ref + "-copy")).ok();
        int blobs = run(ctr(daemon.address(), "-n", ns, "content", "ls", "-q")).ok().out().lines().toList().size();
        assertEquals(3, blobs, "manifest, config and layer");

        run(ctr(daemon.address(), "-n", ns, "images", "rm", "--sync", ref)).ok();
        assertEquals(3, run(ctr(daemon.address(), "-n", ns, "content", "ls", "-q")).ok().out().lines().count(),
                "still referenced by the copy");
        assertTrue(run(ctr(daemon.address(), "-n", ns, "snapshots", "ls")).ok().out().contains("Committed"));

        run(ctr(daemon.address(), "-n", ns, "images", "rm", "--sync", ref + "-copy")).ok();
        assertEquals("", run(ctr(daemon.address(), "-n", ns, "content", "ls", "-q")).ok().out());
        var snaps = run(ctr(daemon.address(), "-n", ns, "snapshots", "ls")).ok();
        assertTrue(snaps.out().lines().noneMatch(l -> l.startsWith("sha256:")), snaps.toString());
        // the pull works again from scratch
        run(ctr(daemon.address(), "-n", ns, "images", "pull", "--plain-http", ref)).ok();
    }
}
