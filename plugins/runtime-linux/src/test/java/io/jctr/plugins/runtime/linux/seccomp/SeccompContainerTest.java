package io.jctr.plugins.runtime.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.container.ContainerStatus;
import io.jctr.plugins.runtime.linux.container.TestContainers;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ENOSYS prefix in a real container: containerd's default profile (default action
 * ERRNO(EPERM)), with {@code uname} moved from its allow list to a rule of its own, filters a
 * static build of the probe that the container runs as its init.
 */
@Tag("root")
@Timeout(120)
class SeccompContainerTest {

    @TempDir
    Path tmp;

    @Test
    void inAContainerANewerSyscallIsEnosysAListedOneGetsItsActionAnOlderOneTheDefault() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64"), "x86-64 syscall numbers");
        try (TestContainers t = new TestContainers(tmp)) {
            ObjectNode spec = TestContainers.spec("/probe", "-", "0", "getpid", "uname", "unshare:20000",
                    "nr:1000", "nr:435");
            ((ObjectNode) spec.get("linux")).set("seccomp", profile());
            Path bundle = t.bundle("bundle", spec);
            compileStatic(bundle.resolve("rootfs/probe"));
            String id = "seccomp-enosys-" + ProcessHandle.current().pid();

            t.run(id, bundle);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (t.status(id) != ContainerStatus.STOPPED && System.nanoTime() < deadline) {
                Thread.sleep(10); // nothing signals the init's exit to a detached create: poll
            }

            List<String> lines = Files.readAllLines(bundle.resolve("out"));
            assertEquals(5, lines.size(), lines + Files.readString(bundle.resolve("err")));
            assertTrue(lines.get(0).startsWith("getpid ok "), lines.get(0));
            assertEquals(List.of(
                    "uname errno 42", // named: its own action
                    "unshare errno 1", // not named, older than the profile's newest: the default action
                    "nr errno 38", // newer than anything the profile names: ENOSYS, not EPERM
                    "nr errno 38"), // clone3: the profile names it with ERRNO(ENOSYS)
                    lines.subList(1, 5));
        }
    }

    /** containerd's default profile with uname as {@code ERRNO(42)}. */
    private static ObjectNode profile() throws Exception {
        ObjectNode profile;
        try (InputStream in = SeccompContainerTest.class.getResourceAsStream("default-profile.json")) {
            profile = (ObjectNode) TestSpecs.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("SCMP_ACT_ERRNO", profile.get("defaultAction").asText());
        ArrayNode rules = (ArrayNode) profile.get("syscalls");
        for (int i = 0; i < rules.size(); i++) {
            ArrayNode names = (ArrayNode) rules.get(i).get("names");
            for (int j = names.size() - 1; j >= 0; j--) {
                if (names.get(j).asText().equals("uname")) {
                    names.remove(j);
                }
            }
        }
        ObjectNode uname = rules.addObject().put("action", "SCMP_ACT_ERRNO").put("errnoRet", 42);
        uname.putArray("names").add("uname");
        return profile;
    }

    private static void compileStatic(Path out) throws Exception {
        Path source = out.resolveSibling("probe.c");
        try (InputStream in = SeccompContainerTest.class.getResourceAsStream("seccomp-probe.c")) {
            Files.write(source, in.readAllBytes());
        }
        Process cc = new ProcessBuilder("cc", "-static", "-Wall", "-Werror", "-o", out.toString(), source.toString())
                .redirectErrorStream(true).start();
        String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, cc.waitFor(), output);
    }
}
