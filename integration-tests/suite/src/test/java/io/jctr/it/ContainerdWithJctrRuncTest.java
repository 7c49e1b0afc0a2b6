package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Debian's containerd, with its own root, state and socket, running containers through
 * {@code bin/jctr-runc} instead of runc ({@code ctr run --runc-binary}): containerd's shim calls
 * create, start, state, kill, exec and delete exactly as it calls runc.
 */
@Tag("root")
class ContainerdWithJctrRuncTest {

    private static final String IMAGE = "docker.io/library/busybox:latest";
    private static Path dir;
    private static Path socket;
    private static Process containerd;

    @BeforeAll
    static void startContainerd() throws Exception {
        dir = Files.createTempDirectory("jctr-containerd");
        socket = dir.resolve("containerd.sock");
        Path config = dir.resolve("config.toml");
        Files.writeString(config, String.join("\n",
                "version = 2",
                "root = \"" + dir.resolve("root") + "\"",
                "state = \"" + dir.resolve("state") + "\"",
                "disabled_plugins = [\"io.containerd.grpc.v1.cri\", \"io.containerd.snapshotter.v1.aufs\","
                        + " \"io.containerd.snapshotter.v1.btrfs\", \"io.containerd.snapshotter.v1.zfs\","
                        + " \"io.containerd.snapshotter.v1.devmapper\"]",
                "[grpc]", "  address = \"" + socket + "\"",
                "[ttrpc]", "  address = \"" + socket + ".ttrpc\"", ""));
        containerd = new ProcessBuilder("containerd", "--config", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!accepts()) {
            if (!containerd.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("containerd did not start:\n" + Files.readString(dir.resolve("containerd.log")));
            }
            Thread.sleep(20); // polling for the socket; there is no readiness signal to wait on
        }
        Path layout = BusyboxImage.layout(Files.createDirectories(dir.resolve("image")));
        Path archive = dir.resolve("busybox.tar");
        Commands.run(List.of("tar", "-cf", archive.toString(), "-C", layout.toString(), ".")).ok();
        ctr("images", "import", "--base-name", "docker.io/library/busybox", archive.toString()).ok();
    }

    @AfterAll
    static void stopContainerd() throws Exception {
        if (containerd != null) {
            for (String id : ctr("tasks", "ls", "-q").out().split("\n")) {
                if (!id.isBlank()) {
                    ctr("tasks", "kill", "--signal", "KILL", id.strip());
                    ctr("tasks", "rm", "-f", id.strip());
                }
            }
            for (String id : ctr("containers", "ls", "-q").out().split("\n")) {
                if (!id.isBlank()) {
                    ctr("containers", "rm", id.strip());
                }
            }
            containerd.destroy();
            if (!containerd.waitFor(30, TimeUnit.SECONDS)) {
                containerd.destroyForcibly().waitFor();
            }
            RuncServerProcess.stopSuiteServer();
        }
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String target = line.split(" ")[4];
            if (target.startsWith(dir.toString())) {
                mounts.add(target);
            }
        }
        mounts.sort(Comparator.reverseOrder());
        for (String m : mounts) {
            Commands.run(List.of("umount", "-l", m));
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertTrue(mounts.isEmpty(), "mounts left by containerd: " + mounts);
    }

    private static boolean accepts() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Commands.Result ctr(String... args) {
        List<String> c = new ArrayList<>(List.of("ctr", "--address", socket.toString()));
        c.addAll(List.of(args));
        return Commands.run(c);
    }

    /**
     * bin/jctr-runc behind a wrapper that gives it the suite's server socket: containerd starts
     * its shims with an environment of its own, so the variable would not reach them.
     */
    private static String runcBinary() throws IOException {
        Path wrapper = dir.resolve("jctr-runc");
        if (!Files.exists(wrapper)) {
            String socket = System.getenv().getOrDefault("JCTR_RUNC_SERVER_SOCKET", "/run/jctr-runc-server/server.sock");
            Files.writeString(wrapper, "#!/bin/sh\nJCTR_RUNC_SERVER_SOCKET='" + socket + "' exec '"
                    + RuncBundle.JCTR_RUNC + "' \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return wrapper.toString();
    }

    @Test
    void ctrRunPrintsThroughJctrRunc() throws IOException {
        Commands.Result r = ctr("run", "--runc-binary", runcBinary(), "--rm", IMAGE, "hello", "echo", "hi");
        assertEquals("hi\n", r.ok().out(), r.toString());
    }

    @Test
    void nonZeroExitCodePropagates() throws IOException {
        Commands.Result r = ctr("run", "--runc-binary", runcBinary(), "--rm", IMAGE, "exit3", "sh", "-c", "exit 3");
        assertEquals(3, r.exitCode(), r.toString());
    }

    @Test
    void killAndExecWorkOnADetachedContainer() throws Exception {
        ctr("run", "-d", "--runc-binary", runcBinary(), IMAGE, "detached", "sleep", "1000").ok();
        Commands.Result exec = ctr("tasks", "exec", "--exec-id", "e1", "detached", "echo", "from-exec");
        assertEquals("from-exec\n", exec.ok().out(), exec.toString());
        assertTrue(ctr("tasks", "ls").ok().out().contains("RUNNING"));
        ctr("tasks", "kill", "--signal", "KILL", "detached").ok();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!ctr("tasks", "ls").out().contains("STOPPED")) {
            assertTrue(System.nanoTime() < deadline, "task did not stop: " + ctr("tasks", "ls"));
            Thread.sleep(50); // polling ctr; containerd has no wait-for-status call here
        }
        ctr("tasks", "rm", "detached").ok();
        ctr("containers", "rm", "detached").ok();
        String suiteSocket = System.getenv("JCTR_RUNC_SERVER_SOCKET");
        if (suiteSocket != null) {
            Path log = Path.of(suiteSocket + ".log");
            assertTrue(Files.exists(log), "the shim's jctr-runc commands started the suite's server");
            assertFalse(Files.readString(log).contains("refused"), "the shim's commands were served:\n" + Files.readString(log));
        }
    }
}
