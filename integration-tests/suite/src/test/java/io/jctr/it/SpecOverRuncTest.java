package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jctr-runc against Debian's runc on the same bundles, on this machine. Where the OCI runtime
 * specification and runc differ, jctr follows the specification (what runc does is printed,
 * not asserted: these tests must not depend on runc's bugs staying); where both follow it,
 * jctr gives runc's results.
 */
@Tag("root")
class SpecOverRuncTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNC = "runc";

    @TempDir
    Path work;
    private Path jctrRoot;
    private Path runcRoot;

    @AfterAll
    static void stopRuncServer() {
        RuncServerProcess.stopSuiteServer();
    }

    @BeforeEach
    void setUp() {
        jctrRoot = work.resolve("jctr-state");
        runcRoot = work.resolve("runc-state");
    }

    @AfterEach
    void cleanUp() {
        for (List<String> runtime : List.of(List.of(RuncBundle.JCTR_RUNC.toString(), "--root", jctrRoot.toString()),
                List.of(RUNC, "--root", runcRoot.toString()))) {
            if (Files.isDirectory(Path.of(runtime.get(2)))) {
                for (String id : Commands.run(with(runtime, "list", "-q")).out().split("\n")) {
                    if (!id.isBlank()) {
                        Commands.run(with(runtime, "delete", "--force", id.strip()));
                    }
                }
            }
        }
    }

    private static List<String> with(List<String> runtime, String... args) {
        List<String> c = new ArrayList<>(runtime);
        c.addAll(List.of(args));
        return c;
    }

    private Commands.Result jctr(String... args) {
        return Commands.run(RuncBundle.runc(jctrRoot, args));
    }

    private Commands.Result runc(String... args) {
        List<String> c = new ArrayList<>(List.of(RUNC, "--root", runcRoot.toString()));
        c.addAll(List.of(args));
        return Commands.run(c);
    }

    private static void report(String what) {
        System.out.println("runc on this machine: " + what);
    }

    @Test
    void poststartHooksRunAtStartNotAtCreate() throws IOException {
        Path marker = work.resolve("marker");
        RuncBundle b = RuncBundle.create(work.resolve("b1"), "sleep", "1000").edit(spec -> {
            ObjectNode hook = spec.putObject("hooks").putArray("poststart").addObject();
            hook.put("path", "/bin/sh");
            hook.putArray("args").add("sh").add("-c").add("echo poststart >> " + marker);
        });
        runc("create", "--bundle", b.dir().toString(), "r1").ok();
        report("poststart ran at create: " + Files.exists(marker));
        runc("delete", "--force", "r1").ok();
        Files.deleteIfExists(marker);

        jctr("create", "--bundle", b.dir().toString(), "j1").ok();
        assertFalse(Files.exists(marker), "the spec runs poststart hooks after the program started, at start");
        jctr("start", "j1").ok();
        assertEquals("poststart\n", Files.readString(marker));
    }

    @Test
    void anOciVersionThatIsNotSemVerIsRejected() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b2"), "true").edit(spec -> spec.put("ociVersion", "invalid"));
        report("create with ociVersion \"invalid\" exits " + runc("create", "--bundle", b.dir().toString(), "r2").exitCode());

        Commands.Result r = jctr("create", "--bundle", b.dir().toString(), "j2");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("ociVersion: ") && r.err().contains("is not a semantic version"), r.toString());
        assertEquals("", jctr("list", "-q").out(), "nothing was created");
    }

    @Test
    void deletingACreatedContainerNeedsForce() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b3"), "sleep", "1000");
        runc("create", "--bundle", b.dir().toString(), "r3").ok();
        report("delete of a created container without --force exits " + runc("delete", "r3").exitCode());

        jctr("create", "--bundle", b.dir().toString(), "j3").ok();
        Commands.Result r = jctr("delete", "j3");
        assertEquals(1, r.exitCode(), "the spec's delete is for a stopped container: " + r);
        assertTrue(r.err().contains("is not stopped"), r.toString());
        assertEquals("created", JSON.readTree(jctr("state", "j3").ok().out()).get("status").asText());
        jctr("delete", "--force", "j3").ok();
        assertEquals("", jctr("list", "-q").ok().out());
    }

    @Test
    void whereBothFollowTheSpecTheResultsAreRuncs() throws IOException {
        RuncBundle b = RuncBundle.create(work.resolve("b4"), "sleep", "1000");
        runc("create", "--bundle", b.dir().toString(), "same").ok();
        jctr("create", "--bundle", b.dir().toString(), "same").ok();
        JsonNode r = JSON.readTree(runc("state", "same").ok().out());
        JsonNode j = JSON.readTree(jctr("state", "same").ok().out());
        assertEquals(fields(r), fields(j), "state's JSON fields");
        for (String field : List.of("id", "status", "bundle", "rootfs", "owner")) {
            assertEquals(r.get(field), j.get(field), field);
        }
        assertEquals(r.get("pid").asInt() > 0, j.get("pid").asInt() > 0, "a created container's pid is its init's");
        JsonNode rl = JSON.readTree(runc("list", "-f", "json").ok().out()).get(0);
        JsonNode jl = JSON.readTree(jctr("list", "-f", "json").ok().out()).get(0);
        assertEquals(fields(rl), fields(jl), "list's JSON fields");
        assertEquals(rl.get("owner"), jl.get("owner"), "list names the owner");

        Commands.Result rk = runc("kill", "same", "KILL");
        Commands.Result jk = jctr("kill", "same", "KILL");
        assertEquals(rk.exitCode(), jk.exitCode(), "kill of a created container: " + rk + "\n" + jk);
        Commands.Result rs = runc("start", "never");
        Commands.Result js = jctr("start", "never");
        assertEquals(rs.exitCode(), js.exitCode(), "start of a missing container");

        RuncBundle exit5 = RuncBundle.create(work.resolve("b5"), "sh", "-c", "echo out; echo err >&2; exit 5");
        Commands.Result rr = runc("run", "--bundle", exit5.dir().toString(), "run5");
        Commands.Result jr = jctr("run", "--bundle", exit5.dir().toString(), "run5");
        assertEquals(5, rr.exitCode(), rr.toString());
        assertEquals(rr.exitCode(), jr.exitCode(), jr.toString());
        assertEquals(rr.out(), jr.out());
        assertEquals(rr.err(), jr.err());
    }

    private static Set<String> fields(JsonNode n) {
        Set<String> names = new TreeSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
