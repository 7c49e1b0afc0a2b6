package io.jctr.plugins.runtime.linux.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.PlanEncoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SCMP_ACT_NOTIFY with a real agent, src/test/c/seccomp-test-agent.c (built here with cc): it
 * receives the listener and runc's ContainerProcessState JSON, then makes mkdir fail with
 * EMEDIUMTYPE and lets every other notified call continue.
 */
class LaunchSeccompNotifyTest extends ContainerTestBase {

    private static final String STATE = "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"status\":\"creating\"}";

    private Process agent;

    @AfterEach
    void stopAgent() {
        if (agent != null) {
            agent.destroyForcibly();
        }
    }

    @Test
    void theAgentGetsTheListenerAndTheProcessState() throws Exception {
        Path socket = startAgent();
        ObjectNode spec = notifying(socket, "sh", "-c", "mkdir /tmp/made; echo done");
        AtomicInteger initPid = new AtomicInteger();
        Launched l = launch(request(PlanEncoder.encode(plan(spec)), true), new StateListener(initPid));
        start();
        assertEquals(0, l.waitFor(), this::stderr);
        assertEquals("done\n", stdout());
        assertTrue(stderr().contains("Wrong medium type"), stderr()); // EMEDIUMTYPE, from the agent

        JsonNode json = new ObjectMapper().readTree(Files.readString(tmp.resolve("agent.json")));
        assertEquals("1.0.2-dev", json.get("ociVersion").asText());
        assertEquals("[\"seccompFd\"]", json.get("fds").toString());
        assertEquals(initPid.get(), json.get("pid").asInt());
        assertEquals("meta \"data\"\n", json.get("metadata").asText());
        assertEquals(new ObjectMapper().readTree(STATE), json.get("state"));
    }

    @Test
    void notifiedCallsOfTheHelperItselfContinue() throws Exception {
        // runc's "important syscalls": the init reads, opens and closes under the filter.
        Path socket = startAgent();
        ObjectNode spec = notifying(socket, "true");
        ((ArrayNode) spec.get("linux").get("seccomp").get("syscalls").get(0).get("names"))
                .add("openat").add("read").add("close").add("execve");
        ((ObjectNode) spec.get("process")).put("noNewPrivileges", false);
        Launched l = launch(request(PlanEncoder.encode(plan(spec)), true), new StateListener(new AtomicInteger()));
        start();
        assertEquals(0, l.waitFor(), this::stderr);
    }

    @Test
    void noAgentFailsTheLaunchNamingTheListenerPath() throws Exception {
        Path socket = tmp.resolve("nobody.sock");
        ObjectNode spec = notifying(socket, "true");
        LaunchException e = assertThrows(LaunchException.class,
                () -> launch(request(PlanEncoder.encode(plan(spec)), false), LaunchListener.NONE));
        assertEquals("linux.seccomp.listenerPath: failed to connect with seccomp agent specified in the "
                + "seccomp profile \"" + socket + "\": No such file or directory", e.getMessage());
    }

    private ObjectNode notifying(Path socket, String... args) {
        ObjectNode spec = spec(args);
        ((ObjectNode) spec.get("root")).put("readonly", false);
        ObjectNode seccomp = ((ObjectNode) spec.get("linux")).putObject("seccomp");
        seccomp.put("defaultAction", "SCMP_ACT_ALLOW").put("listenerPath", socket.toString())
                .put("listenerMetadata", "meta \"data\"\n");
        seccomp.putArray("syscalls").addObject().put("action", "SCMP_ACT_NOTIFY")
                .putArray("names").add("mkdir").add("mkdirat");
        return spec;
    }

    private Path startAgent() throws IOException, InterruptedException {
        Path binary = tmp.resolve("seccomp-test-agent");
        Process cc = new ProcessBuilder("cc", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-o",
                binary.toString(), "src/test/c/seccomp-test-agent.c").inheritIO().start();
        assertEquals(0, cc.waitFor(), "cc seccomp-test-agent.c");
        Path socket = tmp.resolve("agent.sock");
        agent = new ProcessBuilder(binary.toString(), socket.toString(), tmp.resolve("agent.json").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertNotEquals(null, line, "the agent died");
        assertEquals("listening", line);
        return socket;
    }

    /** Remembers the init's pid and gives the helper {@link #STATE}. */
    private record StateListener(AtomicInteger pid) implements LaunchListener {
        @Override
        public String initStarted(int p) {
            pid.set(p);
            return STATE;
        }

        @Override
        public void createRuntimeHooks(int p) {
        }

        @Override
        public void ready(int p) {
        }
    }
}
