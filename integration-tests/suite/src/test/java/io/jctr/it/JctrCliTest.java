package io.jctr.it;

import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The jctr CLI as a client of jctrd: tables, JSON, environment variables, errors. */
@Tag("root")
class JctrCliTest {

    private static JctrDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    @Test
    void versionShowsClientAndServer() {
        var r = run(jctr(daemon.address(), "version")).ok();
        assertTrue(r.out().startsWith("Client:\n  Version:  "), r.toString());
        assertTrue(Pattern.compile("(?m)^  UUID:     [0-9a-f-]{36}$").matcher(r.out()).find(), r.toString());
        var json = run(jctr(daemon.address(), "version", "--format", "json")).ok();
        assertTrue(json.out().contains("\"uuid\": \""), json.toString());
    }

    @Test
    void pluginsLsTableDetailAndJson() {
        var table = run(jctr(daemon.address(), "plugins", "ls")).ok();
        assertTrue(Pattern.compile("(?m)^TYPE +ID +PLATFORMS +STATUS$").matcher(table.out()).find(), table.toString());
        assertTrue(Pattern.compile("(?m)^io\\.jctr\\.metadata\\.v1 +lmdb +- +ok\\s*$").matcher(table.out()).find(), table.toString());
        var detail = run(jctr(daemon.address(), "plugins", "ls", "-d", "id==lmdb")).ok();
        assertTrue(detail.out().contains("Exports:       root=" + daemon.root + "/io.jctr.metadata.v1.lmdb"), detail.toString());
        var json = run(jctr(daemon.address(), "plugins", "ls", "--format", "json")).ok();
        assertTrue(json.out().trim().startsWith("[") && json.out().contains("\"status\": \"ok\""), json.toString());
    }

    @Test
    void namespacesRoundTripWithEnvironmentAddress() {
        Map<String, String> env = Map.of("JCTR_ADDRESS", daemon.address());
        run(List.of(Commands.JCTR.toString(), "namespaces", "create", "cli1", "team=a"), env).ok();
        run(List.of(Commands.JCTR.toString(), "namespaces", "label", "cli1", "env=prod", "team="), env).ok();
        var ls = run(List.of(Commands.JCTR.toString(), "namespaces", "ls"), env).ok();
        assertTrue(Pattern.compile("(?m)^cli1 +env=prod$").matcher(ls.out()).find(), ls.toString());
        var json = run(List.of(Commands.JCTR.toString(), "ns", "ls", "--format", "json"), env).ok();
        assertTrue(json.out().contains("\"name\": \"cli1\"") && json.out().contains("\"env\": \"prod\""), json.toString());
        run(List.of(Commands.JCTR.toString(), "namespaces", "rm", "cli1"), env).ok();
    }

    @Test
    void leasesAreNamespacedThroughTheEnvironment() {
        Map<String, String> env = Map.of("JCTR_ADDRESS", daemon.address(), "JCTR_NAMESPACE", "leasing");
        run(List.of(Commands.JCTR.toString(), "leases", "create", "--id", "hold", "why=test"), env).ok();
        var ls = run(List.of(Commands.JCTR.toString(), "leases", "ls", "-q"), env).ok();
        assertEquals("hold\n", ls.out(), ls.toString());
        var other = run(jctr(daemon.address(), "leases", "ls", "-q")).ok();
        assertEquals("", other.out(), other.toString());
        run(List.of(Commands.JCTR.toString(), "leases", "rm", "hold"), env).ok();
        run(jctr(daemon.address(), "namespaces", "rm", "leasing")).ok();
    }

    @Test
    void errorsAreOneLineWithNonZeroExit() {
        var badName = run(jctr(daemon.address(), "namespaces", "create", "-bad"));
        assertTrue(badName.exitCode() != 0, badName.toString());
        var invalid = run(jctr(daemon.address(), "namespaces", "create", "no/slash"));
        assertEquals(1, invalid.exitCode(), invalid.toString());
        assertEquals("jctr: invalid namespace \"no/slash\": use letters and digits, optionally joined by single '.', '_' or '-': invalid argument\n",
                invalid.err(), invalid.toString());

        var flag = run(jctr(daemon.address(), "namespaces", "ls", "--bogus"));
        assertEquals(2, flag.exitCode(), flag.toString());
        assertEquals(1, flag.err().lines().count(), flag.toString());
        assertTrue(flag.err().startsWith("jctr: Unknown option: '--bogus'"), flag.toString());

        var missing = run(jctr(daemon.address(), "namespaces", "rm", "nope-but-fine"));
        assertEquals(0, missing.exitCode(), missing.toString()); // as ctr: a missing namespace counts as removed

        var notFound = run(jctr(daemon.address(), "leases", "rm", "nope"));
        assertEquals(1, notFound.exitCode(), notFound.toString());
        assertEquals("jctr: lease \"nope\": not found\n", notFound.err(), notFound.toString());

        var unreachable = run(jctr(daemon.dir.resolve("nobody.sock").toString(), "version"));
        assertEquals(1, unreachable.exitCode(), unreachable.toString());
        assertEquals(1, unreachable.err().lines().count(), unreachable.toString());
        assertTrue(unreachable.err().startsWith("jctr: cannot connect to the jctr daemon: no socket at "), unreachable.toString());
    }
}
