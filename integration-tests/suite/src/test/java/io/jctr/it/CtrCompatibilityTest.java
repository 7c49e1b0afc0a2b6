package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Debian's unmodified ctr against jctrd: the acceptance lines of the foundation issue. */
@Tag("root")
class CtrCompatibilityTest {

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
    void versionPrintsTheServerVersionAndUuid() {
        var r = run(ctr(daemon.address(), "version")).ok();
        assertTrue(r.out().contains("Server:"), r.toString());
        assertTrue(Pattern.compile("(?m)^\\s+Version:\\s+\\d+\\.\\d+\\.\\d+").matcher(r.out().split("Server:")[1]).find(), r.toString());
        assertTrue(Pattern.compile("(?m)^\\s+UUID:\\s+[0-9a-f-]{36}$").matcher(r.out()).find(), r.toString());
    }

    @Test
    void pluginsLsListsEveryPluginAsOk() {
        var r = run(ctr(daemon.address(), "plugins", "ls")).ok();
        for (String plugin : List.of("io.jctr.metadata.v1 +lmdb", "io.jctr.event.v1 +exchange",
                "io.jctr.grpc.v1 +version", "io.jctr.grpc.v1 +introspection", "io.jctr.grpc.v1 +namespaces",
                "io.jctr.grpc.v1 +leases", "io.jctr.grpc.v1 +healthcheck", "io.jctr.service.v1 +namespaces-service")) {
            assertTrue(Pattern.compile("(?m)^" + plugin + " +- +ok\\s*$").matcher(r.out()).find(), plugin + " in\n" + r);
        }
        // the native runtime serves the host's platform; CI runs as root, so it is ok, not skip
        assertTrue(Pattern.compile("(?m)^io\\.jctr\\.runtime\\.v1 +linux +linux/\\S+ +ok\\s*$").matcher(r.out()).find(), r.toString());
        var filtered = run(ctr(daemon.address(), "plugins", "ls", "type==io.jctr.grpc.v1")).ok();
        assertFalse(filtered.out().contains("io.jctr.metadata.v1"), filtered.toString());
        assertTrue(filtered.out().contains("introspection"), filtered.toString());
    }

    @Test
    void namespacesCreateLabelListRemove() {
        run(ctr(daemon.address(), "namespaces", "create", "t1")).ok();
        run(ctr(daemon.address(), "namespaces", "label", "t1", "a=b")).ok();
        var ls = run(ctr(daemon.address(), "namespaces", "ls")).ok();
        assertTrue(Pattern.compile("(?m)^t1 +a=b\\s*$").matcher(ls.out()).find(), ls.toString());
        run(ctr(daemon.address(), "namespaces", "rm", "t1")).ok();
        var after = run(ctr(daemon.address(), "namespaces", "ls", "-q")).ok();
        assertFalse(Arrays.asList(after.out().split("\n")).contains("t1"), after.toString());
    }

    @Test
    void namespaceWithResourcesCannotBeRemoved() {
        run(ctr(daemon.address(), "-n", "busy", "leases", "create", "--id", "l1")).ok();
        var rm = run(ctr(daemon.address(), "namespaces", "rm", "busy"));
        assertEquals(1, rm.exitCode(), rm.toString());
        assertTrue(rm.err().contains("namespace \"busy\" must be empty, but it still has leases: failed precondition"), rm.toString());
        var leases = run(ctr(daemon.address(), "-n", "busy", "leases", "ls")).ok();
        assertTrue(leases.out().contains("l1"), leases.toString());
        run(ctr(daemon.address(), "-n", "busy", "leases", "rm", "l1")).ok();
        run(ctr(daemon.address(), "namespaces", "rm", "busy")).ok();
    }

    @Test
    void invalidNamespaceNameIsRejected() {
        var r = run(ctr(daemon.address(), "namespaces", "create", "bad..name"));
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("invalid namespace \"bad..name\""), r.toString());
        var ls = run(ctr(daemon.address(), "namespaces", "ls", "-q")).ok();
        assertFalse(ls.out().contains("bad"), ls.toString());
    }
}
