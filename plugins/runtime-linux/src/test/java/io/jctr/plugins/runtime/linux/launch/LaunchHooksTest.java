package io.jctr.plugins.runtime.linux.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.PlanEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Hooks run by the helper, and the runtime's part at each sync point. */
class LaunchHooksTest extends ContainerTestBase {

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private LaunchListener recording(String failAt) {
        return new LaunchListener() {
            @Override
            public String initStarted(int pid) {
                calls.add("initStarted");
                return "{\"ociVersion\":\"1.1.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":" + pid + "}";
            }

            @Override
            public void createRuntimeHooks(int pid) throws IOException {
                calls.add("createRuntimeHooks");
                if (failAt.equals("createRuntimeHooks")) {
                    throw new IOException("prestart hook failed");
                }
            }

            @Override
            public void ready(int pid) {
                calls.add("ready");
            }
        };
    }

    private static void hook(ObjectNode spec, String phase, String path, int timeout, String... args) {
        ObjectNode hooks = spec.has("hooks") ? (ObjectNode) spec.get("hooks") : spec.putObject("hooks");
        ArrayNode list = hooks.has(phase) ? (ArrayNode) hooks.get(phase) : hooks.putArray(phase);
        ObjectNode h = list.addObject().put("path", path);
        ArrayNode a = h.putArray("args");
        for (String arg : args) {
            a.add(arg);
        }
        h.putArray("env").add("PATH=/bin:/usr/bin");
        if (timeout > 0) {
            h.put("timeout", timeout);
        }
    }

    @Test
    void hooksReceiveTheStateAndSyncPointsComeInOrder() throws Exception {
        Path created = tmp.resolve("create-container-state");
        ObjectNode spec = spec("echo", "ran");
        ((ObjectNode) spec.get("root")).put("readonly", false);
        // createContainer: before the root switch, so a host path; startContainer: in the new root.
        hook(spec, "createContainer", "/bin/sh", 0, "sh", "-c", "cat > " + created);
        hook(spec, "startContainer", "/bin/sh", 5, "sh", "-c", "cat > /tmp/start-container-state");
        Launched l = launch(request(PlanEncoder.encode(plan(spec)), true), recording(""));
        start();
        assertEquals(0, l.waitFor(), this::stderr);
        String state = "{\"ociVersion\":\"1.1.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":" + l.pid() + "}";
        assertEquals(state, Files.readString(created));
        assertEquals(state, Files.readString(rootfs.resolve("tmp/start-container-state")));
        assertEquals(List.of("initStarted", "createRuntimeHooks", "ready"), calls);
        assertEquals("ran\n", stdout());
    }

    @Test
    void createContainerHooksStartInTheRootfsAndStartContainerHooksInTheCwd() throws Exception {
        ObjectNode spec = spec("cat", "/tmp/created", "/tmp/started");
        ((ObjectNode) spec.get("root")).put("readonly", false);
        ((ObjectNode) spec.get("process")).put("cwd", "/tmp");
        // As in runc's hooks.bats: relative paths name files of the rootfs.
        hook(spec, "createContainer", "/bin/sh", 0, "sh", "-c", "pwd > ./tmp/created");
        hook(spec, "startContainer", "/bin/sh", 0, "sh", "-c", "pwd > ./started");
        Launched l = launch(request(PlanEncoder.encode(plan(spec)), true), recording(""));
        start();
        assertEquals(0, l.waitFor(), this::stderr);
        assertEquals(rootfs + "\n/tmp\n", stdout());
    }

    @Test
    void aHookPastItsTimeoutFailsTheLaunch() throws Exception {
        ObjectNode spec = spec("echo", "never");
        hook(spec, "createContainer", "/bin/sleep", 1, "sleep", "30");
        LaunchException e = assertThrows(LaunchException.class,
                () -> launch(request(PlanEncoder.encode(plan(spec)), false), recording("")));
        assertEquals("hooks.createContainer[0]: \"/bin/sleep\" timed out after 1 s", e.getMessage());
        assertGone();
    }

    @Test
    void aFailingHookFailsTheLaunch() throws Exception {
        ObjectNode spec = spec("echo", "never");
        hook(spec, "createContainer", "/bin/sh", 0, "sh", "-c", "exit 3");
        LaunchException e = assertThrows(LaunchException.class,
                () -> launch(request(PlanEncoder.encode(plan(spec)), false), recording("")));
        assertEquals("hooks.createContainer[0]: error running hook \"/bin/sh\": exited with status 3",
                e.getMessage());
        assertGone();
    }

    @Test
    void aHookKilledByASignalIsReportedAsRuncDoes() throws Exception {
        ObjectNode spec = spec("echo", "never");
        hook(spec, "createContainer", "/bin/sh", 0, "sh", "-c", "kill -SYS $$");
        LaunchException e = assertThrows(LaunchException.class,
                () -> launch(request(PlanEncoder.encode(plan(spec)), false), recording("")));
        assertEquals("hooks.createContainer[0]: error running hook \"/bin/sh\": killed by signal 31"
                + " (bad system call)", e.getMessage());
        assertGone();
    }

    @Test
    void aListenerThatThrowsAbortsTheLaunch() throws Exception {
        IOException e = assertThrows(IOException.class, () -> launch(
                request(PlanEncoder.encode(plan(spec("echo", "never"))), true),
                recording("createRuntimeHooks")));
        assertEquals("prestart hook failed", e.getMessage());
        assertEquals(List.of("initStarted", "createRuntimeHooks"), calls);
        assertGone();
    }

    /** The init this test started no longer exists, not even as a zombie. */
    void assertGone() {
        assertEquals(1, inits.size());
        assertFalse(Files.exists(Path.of("/proc/" + inits.get(0))), "init " + inits.get(0) + " exists");
        assertTrue(stdout().isEmpty(), stdout());
    }
}
