package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Start, stop, crash and restart of jctrd, and the ways it refuses to start. */
@Tag("root")
class DaemonLifecycleTest {

    private static String uuid(String socket) {
        var r = run(ctr(socket, "version")).ok();
        Matcher m = Pattern.compile("UUID:\\s+(\\S+)").matcher(r.out());
        assertTrue(m.find(), r.toString());
        return m.group(1);
    }

    @Test
    void stateSurvivesSigkillAndTheUuidIsStable() throws Exception {
        try (JctrDaemon d = JctrDaemon.create()) {
            d.start();
            String before = uuid(d.address());
            run(ctr(d.address(), "namespaces", "create", "kept", "x=1")).ok();
            run(ctr(d.address(), "namespaces", "create", "kept2")).ok();
            d.kill();
            assertTrue(Files.exists(d.socket), "a crashed daemon leaves its socket file behind");
            d.start(); // replaces the stale socket
            assertEquals(before, uuid(d.address()));
            var ls = run(ctr(d.address(), "namespaces", "ls")).ok();
            assertTrue(Pattern.compile("(?m)^kept +x=1\\s*$").matcher(ls.out()).find(), ls.toString());
            assertTrue(Pattern.compile("(?m)^kept2\\s*$").matcher(ls.out()).find(), ls.toString());
        }
    }

    @Test
    void sigtermStopsCleanlyAndRemovesTheSocket() throws Exception {
        try (JctrDaemon d = JctrDaemon.create()) {
            d.start();
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.socket)));
            int code = d.stop();
            assertTrue(code == 0 || code == 143, "exit code " + code + "\n" + d.log());
            assertFalse(Files.exists(d.socket), "socket removed at shutdown");
            assertTrue(d.log().contains("jctr daemon stopped"), d.log());
        }
    }

    @Test
    void aSecondDaemonOnTheSameSocketRefusesToStart() throws Exception {
        try (JctrDaemon d = JctrDaemon.create()) {
            d.start();
            String first = uuid(d.address());
            var second = run(d.command());
            assertEquals(1, second.exitCode(), second.toString());
            assertTrue(second.err().contains("another jctr daemon (pid ") && second.err().contains("is already serving " + d.socket),
                    second.toString());
            assertEquals(first, uuid(d.address()), "the first daemon still owns the socket");
        }
    }

    @Test
    void aMalformedConfigFileIsAOneLineErrorAndNothingIsCreated() throws Exception {
        try (JctrDaemon probe = JctrDaemon.create()) {
            var broken = probe.dir.resolve("broken.yaml");
            Files.writeString(broken, "jctr:\n  root: [oops\n");
            List<String> cmd = new ArrayList<>(probe.command());
            cmd.addAll(List.of("--config", broken.toString()));
            var r = run(cmd);
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("jctr: ")).count(), r.toString());
            assertTrue(r.err().contains("jctr: config file " + broken + " is not valid YAML"), r.toString());
            assertFalse(Files.exists(probe.root), "no root directory created");

            var unknown = probe.dir.resolve("unknown.yaml");
            Files.writeString(unknown, "jctr:\n  roots: /x\n");
            cmd.set(cmd.size() - 1, unknown.toString());
            var u = run(cmd);
            assertEquals(1, u.exitCode(), u.toString());
            assertTrue(u.err().contains("unknown key jctr.roots"), u.toString());

            var level = run(List.of(Commands.JCTR.toString(), "daemon", "--address", probe.socket.toString(), "--log-level", "loud"));
            assertEquals(1, level.exitCode(), level.toString());
            assertTrue(level.err().contains("invalid log level \"loud\""), level.toString());

            var flag = run(List.of(Commands.JCTR.toString(), "daemon", "--no-such-flag"));
            assertEquals(2, flag.exitCode(), flag.toString());
            assertTrue(flag.err().contains("Unknown option: '--no-such-flag'"), flag.toString());
        }
    }

    @Test
    void configFileAndEnvironmentSetTheDaemon() throws Exception {
        try (JctrDaemon d = JctrDaemon.create()) {
            var yaml = d.dir.resolve("config.yaml");
            Files.writeString(yaml, "jctr:\n  disabled-plugins: [leases]\n");
            List<String> cmd = new ArrayList<>(d.command());
            cmd.addAll(List.of("--config", yaml.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(d.log.toFile())).start();
            try {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!d.accepts() && System.nanoTime() < deadline && p.isAlive()) {
                    Thread.sleep(20); // polling for the socket; there is no readiness signal to wait on
                }
                var plugins = run(ctr(d.address(), "plugins", "ls", "id==leases")).ok();
                assertTrue(Pattern.compile("(?m)^io\\.jctr\\.grpc\\.v1 +leases +- +skip\\s*$").matcher(plugins.out()).find(), plugins.toString());
                var leases = run(ctr(d.address(), "leases", "ls"));
                assertNotEquals(0, leases.exitCode(), leases.toString());
            } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aStaleSocketWithNobodyListeningIsReportedByTheClient() throws Exception {
        try (JctrDaemon d = JctrDaemon.create()) {
            var path = d.dir.resolve("stale.sock");
            try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                s.bind(UnixDomainSocketAddress.of(path));
            } // closed, file left behind: connect() is refused
            var r = run(jctr(path.toString(), "namespaces", "ls"));
            assertEquals(1, r.exitCode(), r.toString());
            assertEquals(1, r.err().lines().count(), r.toString());
            assertTrue(r.err().startsWith("jctr: cannot connect to the jctr daemon at " + path), r.toString());
        }
    }
}
