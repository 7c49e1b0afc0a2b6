package io.jctr.plugins.runtime.linux.task;

import static io.jctr.plugins.runtime.linux.task.LinuxRuntimeTest.assertKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.spi.JctrException;
import io.jctr.spi.runtime.CreateRequest;
import io.jctr.spi.runtime.ProcessInfo;
import io.jctr.spi.runtime.ProcessStatus;
import io.jctr.spi.runtime.RuntimeOptions;
import io.jctr.spi.runtime.Stdio;
import io.jctr.spi.runtime.TaskRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tasks run by Debian's runc and crun through their command lines (containerd's
 * {@code BinaryName}, {@code ctr run --runc-binary}), under the task's shim like native ones.
 */
class OciBinaryTest extends LinuxRuntimeTestBase {

    /**
     * The binary to drive: Debian's runc; or Debian's crun through a wrapper, since crun refuses
     * cgroups in hybrid mode (this machine's kind: "cgroups in hybrid mode not supported") and
     * works on the v1 hierarchies once the unified one is unmounted in a mount namespace of its own.
     */
    private String binary(String which) throws Exception {
        if (which.equals("runc")) {
            return "/usr/sbin/runc";
        }
        Path wrapper = tmp.resolve("crun-v1");
        if (!Files.exists(wrapper)) {
            Files.writeString(wrapper, "#!/bin/sh\nexec unshare -m --propagation private sh -c "
                    + "'umount -l /sys/fs/cgroup/unified 2>/dev/null; exec /usr/bin/crun \"$@\"' crun \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
        return wrapper.toString();
    }

    private TaskRef create(String binary, Stdio stdio, Path bundle) throws Exception {
        TaskRef ref = ref("default");
        runtime.create(new CreateRequest(ref, bundle, List.of(), stdio, new RuntimeOptions(binary, "")));
        return ref;
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "crun"})
    void runsToExitWithItsOutputAndCode(String which) throws Exception {
        String binary = binary(which);
        Path out = tmp.resolve("out");
        TaskRef t = create(binary, new Stdio("", out.toString(), "file://" + out, false),
                bundle("sh", "-c", "echo hello; echo oops >&2; exit 3"));
        assertEquals(ProcessStatus.CREATED, runtime.state(t, null).status());
        int pid = runtime.state(t, null).pid();
        assertEquals(pid, runtime.start(t, null));
        assertEquals(3, await(runtime.onExit(t, null)).code());
        assertEquals(ProcessStatus.STOPPED, runtime.state(t, null).status());
        assertEquals("hello\noops\n", Files.readString(out));
        assertEquals(3, runtime.delete(t, null).code());
        assertNothingOf(binary, t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "crun"})
    void aRunningTaskIsControlled(String which) throws Exception {
        String binary = binary(which);
        TaskRef t = create(binary, Stdio.none(), bundle("sleep", "1000"));
        int init = runtime.start(t, null);
        assertEquals(ProcessStatus.RUNNING, runtime.state(t, null).status());
        assertTrue(runtime.pids(t).contains(new ProcessInfo(init, "")), runtime.pids(t).toString());
        Path out = tmp.resolve("exec-out");
        runtime.exec(t, "e1", BusyboxBundle.process("sh", "-c", "echo in; exit 5"), new Stdio("", out.toString(), "", false));
        int exec = runtime.start(t, "e1");
        assertTrue(exec > 0 && exec != init);
        assertEquals(5, await(runtime.onExit(t, "e1")).code());
        assertEquals("in\n", Files.readString(out));
        runtime.pause(t);
        assertEquals(ProcessStatus.PAUSED, runtime.state(t, null).status());
        runtime.resume(t);
        assertEquals(ProcessStatus.RUNNING, runtime.state(t, null).status());
        runtime.update(t, "{\"pids\":{\"limit\":42}}");
        assertKind(JctrException.Kind.NOT_IMPLEMENTED, () -> runtime.stats(t));
        runtime.kill(t, null, 9, false);
        assertEquals(137, await(runtime.onExit(t, null)).code());
        assertKind(JctrException.Kind.NOT_FOUND, () -> runtime.kill(t, null, 9, false));
        runtime.delete(t, null);
        assertNothingOf(binary, t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "crun"})
    void aNewRuntimeReattaches(String which) throws Exception {
        String binary = binary(which);
        TaskRef t = create(binary, Stdio.none(), bundle("sleep", "1000"));
        int init = runtime.start(t, null);
        runtime.close();
        LinuxRuntime restarted = newRuntime();
        assertEquals(ProcessStatus.RUNNING, restarted.state(t, null).status());
        assertEquals(init, restarted.state(t, null).pid());
        restarted.kill(t, null, 9, false);
        assertEquals(137, await(restarted.onExit(t, null)).code());
        restarted.delete(t, null);
        assertNothingOf(binary, t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "crun"})
    void aTerminalComesToTheShim(String which) throws Exception {
        String binary = binary(which);
        Path bundle = bundle("sh", "-c", "tty; echo done");
        ObjectNode spec = BusyboxBundle.spec("sh", "-c", "tty; echo done");
        ((ObjectNode) spec.get("process")).put("terminal", true);
        BusyboxBundle.write(bundle, spec);
        Path out = tmp.resolve("tty-out");
        TaskRef t = create(binary, new Stdio("", out.toString(), "", true), bundle);
        runtime.start(t, null);
        assertEquals(0, await(runtime.onExit(t, null)).code());
        String text = Files.readString(out);
        assertTrue(text.contains("/dev/pts/") && text.contains("done\r\n"), text);
        runtime.delete(t, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nonexistent-oci-runtime", "relative/runc"})
    void anUnknownBinaryIsRefused(String binary) throws Exception {
        Path bundle = bundle("true");
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> create(binary, Stdio.none(), bundle));
        assertTrue(runtime.tasks().isEmpty());
    }

    /** The binary knows the container no more, and its task directory is gone. */
    private void assertNothingOf(String binary, TaskRef t) throws Exception {
        Process p = new ProcessBuilder(binary, "--root=" + state.resolve(".oci/default"), "list", "-q").start();
        String list = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertFalse(list.contains(t.id()), list);
        assertFalse(Files.exists(state.resolve("default").resolve(t.id())));
    }
}
