package io.jctr.plugins.runtime.linux.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.plugins.runtime.linux.container.ContainerStatus;
import io.jctr.plugins.runtime.linux.container.CreateOptions;
import io.jctr.plugins.runtime.linux.container.TestContainers;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoint and restore of real containers with the system's criu. CRIU 3.17 cannot dump on
 * every kernel (on this machine kind: "vdso: Unexpected rt vDSO area bounds"); where it fails,
 * the test checks that CRIU's own first error comes back in one line and the container is left
 * as it was; where it succeeds, that the images are there and the container is gone.
 */
@Tag("root")
@Timeout(120)
class CheckpointsTest {

    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    Path tmp;

    TestContainers t;
    Path bundle;
    String id;

    @BeforeEach
    void setUp() throws IOException {
        t = new TestContainers(Files.createDirectories(tmp.resolve("c")));
        bundle = t.bundle("bundle", TestContainers.spec("sleep", "600"));
        id = "ckpt-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    }

    @AfterEach
    void tearDown() throws IOException {
        t.close();
    }

    @Test
    void aDumpLeavesTheImageDirectoryWithCriusLogAndFailsWithCriusOwnWords() throws Exception {
        t.run(id, bundle);
        Path images = tmp.resolve("images/deep");

        IOException failure = null;
        try {
            Checkpoints.dump(t.containers(), id, images, null, false);
        } catch (IOException e) {
            failure = e;
        }

        assertTrue(Files.isDirectory(images), "created");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(images)));
        Path log = images.resolve("dump.log");
        assertTrue(Files.exists(log), "criu's log is left in the image directory (the work directory by default)");
        if (failure != null) {
            String first = CriuLog.firstError(log);
            System.out.println("criu dump failed here, as expected on this kernel: " + failure.getMessage());
            assertEquals("criu dump failed: " + first + " (log: " + log + ")", failure.getMessage());
            assertFalse(failure.getMessage().contains("\n"));
            assertEquals(ContainerStatus.RUNNING, t.status(id), "a failed dump leaves the container running");
        } else {
            assertTrue(Files.exists(images.resolve("inventory.img")));
            assertThrows(JctrException.class, () -> t.containers().record(id), "dumped without --leave-running: gone");
        }
    }

    @Test
    void aPausedContainerIsDumpedThroughItsFreezerAndStaysPausedWhenCriuFails() throws Exception {
        t.run(id, bundle);
        t.containers().pause(id);
        // a stand-in criu that records its arguments and fails as criu does, with a log error
        Path args = tmp.resolve("args");
        Path script = tmp.resolve("criu");
        Files.writeString(script, """
                #!/bin/sh
                printf '%%s\\n' "$@" > %s
                log=""; while [ $# -gt 0 ]; do [ "$1" = --log-file ] && log=$2; shift; done
                echo '(00.1) Error (criu/seize.c:1): Cannot freeze' > "$log"
                exit 1
                """.formatted(args));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

        IOException e = assertThrows(IOException.class, () -> Checkpoints.dump(t.containers(), id,
                CriuOptions.dump(tmp.resolve("paused"), null, true), new Criu(script)));

        assertTrue(e.getMessage().startsWith("criu dump failed: Cannot freeze (log: "), e.getMessage());
        List<String> a = Files.readAllLines(args);
        assertEquals("dump", a.get(0));
        Path freezer = t.containers().cgroupDirs(id).getOrDefault("freezer", t.containers().cgroupDirs(id).get(""));
        assertEquals(freezer.toString(), a.get(a.indexOf("--freeze-cgroup") + 1));
        assertEquals(Integer.toString(t.containers().record(id).pid()), a.get(a.indexOf("--tree") + 1));
        assertTrue(a.contains("--leave-running"), a.toString());
        assertEquals(ContainerStatus.PAUSED, t.status(id));
    }

    @Test
    void onlyRunningOrPausedContainersAreCheckpointed() throws Exception {
        t.create(id, bundle);
        JctrException created = assertThrows(JctrException.class,
                () -> Checkpoints.dump(t.containers(), id, tmp.resolve("i1"), null, true));
        assertEquals(JctrException.Kind.FAILED_PRECONDITION, created.kind());
        assertEquals("container " + id + " cannot be checkpointed in the created state: failed precondition",
                created.getMessage());
        assertFalse(Files.exists(tmp.resolve("i1")), "refused before anything is made");

        t.containers().start(id);
        t.containers().kill(id, 9, false);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (t.status(id) != ContainerStatus.STOPPED && System.nanoTime() < deadline) {
            Thread.sleep(10); // the kernel signals nothing here: poll the status
        }
        JctrException stopped = assertThrows(JctrException.class,
                () -> Checkpoints.dump(t.containers(), id, tmp.resolve("i2"), null, true));
        assertEquals("container " + id + " cannot be checkpointed in the stopped state: failed precondition",
                stopped.getMessage());

        JctrException missing = assertThrows(JctrException.class,
                () -> Checkpoints.dump(t.containers(), "no-such", tmp.resolve("i3"), null, true));
        assertEquals(JctrException.Kind.NOT_FOUND, missing.kind());
    }

    @Test
    void aParentPathMustBeADirectoryBesideTheImages() throws Exception {
        t.run(id, bundle);
        CriuOptions o = new CriuOptions(tmp.resolve("img"), tmp.resolve("work"), "../parent", false, false, false,
                false, false, false, false, false, -1, "", "", List.of(), "", "");

        JctrException e = assertThrows(JctrException.class, () -> Checkpoints.dump(t.containers(), id, o, Criu.system()));

        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
        assertEquals("invalid --parent-path: " + tmp.resolve("parent") + ": no such file or directory: invalid argument",
                e.getMessage());
        assertEquals(ContainerStatus.RUNNING, t.status(id));
    }

    @Test
    void aRestoreWithoutImagesIsNotFoundAndOneCriuRefusesLeavesNothing() throws Exception {
        CriuOptions none = CriuOptions.dump(tmp.resolve("empty"), null, false);
        CreateOptions create = new CreateOptions(id, bundle, null, null, false, 0, false, false);
        JctrException e = assertThrows(JctrException.class,
                () -> Checkpoints.restore(t.containers(), create, none, Criu.system()));
        assertEquals(JctrException.Kind.NOT_FOUND, e.kind());

        // an image directory CRIU cannot use: its own error, and no state, cgroup or mount left
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.write(bad.resolve("inventory.img"), new byte[] {1, 2, 3, 4});
        CriuOptions o = CriuOptions.dump(bad, tmp.resolve("work"), false);
        IOException failure = assertThrows(IOException.class,
                () -> Checkpoints.restore(t.containers(), create, o, Criu.system()));
        Path log = tmp.resolve("work/restore.log");
        assertEquals("criu restore failed: " + CriuLog.firstError(log) + " (log: " + log + ")", failure.getMessage());
        assertEquals(List.of(), t.containers().list());
        for (String controller : List.of("memory", "pids", "freezer", "unified")) {
            assertFalse(Files.exists(Path.of("/sys/fs/cgroup", controller, "jctr", id)), controller);
        }
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains("jctr-criu-root"), "root unmounted");
    }

    @Test
    void aConsoleSocketIsNotSupportedOnRestore() {
        CreateOptions create = new CreateOptions(id, bundle, null, tmp.resolve("console.sock"), false, 0, false, false);
        JctrException e = assertThrows(JctrException.class, () -> Checkpoints.restore(t.containers(), create,
                CriuOptions.dump(tmp, null, false), Criu.system()));
        assertEquals(JctrException.Kind.NOT_IMPLEMENTED, e.kind());
    }
}
