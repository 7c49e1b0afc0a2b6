package io.jctr.plugins.runtime.linux.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.plugins.runtime.linux.shim.ShimClient;
import io.jctr.spi.runtime.CreateRequest;
import io.jctr.spi.runtime.ExitStatus;
import io.jctr.spi.runtime.ProcessState;
import io.jctr.spi.runtime.ProcessStatus;
import io.jctr.spi.runtime.Stdio;
import io.jctr.spi.runtime.TaskRef;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tasks outlive their runtime: its JVM killed, a shim killed, streams the shim holds. */
class ShimSurvivalTest extends LinuxRuntimeTestBase {

    @Test
    void tasksOutliveTheRuntimesJvmAndANewOneReattaches() throws Exception {
        String prefix = "sv" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000;
        String running = prefix + "-run";
        String exiting = prefix + "-exit";
        String logging = prefix + "-log";
        // Both wait for /trigger, which appears only while the runtime's JVM is dead.
        Path exitBundle = bundle("sh", "-c", "while [ ! -e /trigger ]; do sleep 0.05; done; exit 3");
        Path logBundle = bundle("sh", "-c",
                "while [ ! -e /trigger ]; do sleep 0.05; done; echo line one; echo line two; exec sleep 1000");
        Path log = tmp.resolve("task.log");
        Map<String, Path> bundles = new TreeMap<>(Map.of(running, bundle("sleep", "1000"), exiting, exitBundle,
                logging, logBundle));

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RuntimeHostMain.class.getName(), state.toString(), "default"));
        bundles.forEach((id, bundle) -> command.add(id + "=" + bundle + "=" + (id.equals(logging) ? "file://" + log : "")));
        Process host = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Integer> shims = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
            for (String line = out.readLine(); !"ready".equals(line); line = out.readLine()) {
                assertTrue(line != null && line.startsWith("started "), "the host said " + line);
            }
            for (String id : bundles.keySet()) {
                shims.add(ShimClient.recordedPid(state.resolve("default").resolve(id)).orElseThrow());
            }
        } finally {
            host.destroyForcibly(); // SIGKILL: what a crash of the daemon does
            assertTrue(host.waitFor(10, TimeUnit.SECONDS));
        }

        // While no runtime runs: one exits with 3, one logs.
        Files.createFile(exitBundle.resolve("rootfs/trigger"));
        Files.createFile(logBundle.resolve("rootfs/trigger"));
        awaitTrue(() -> Files.exists(log) && Files.readString(log).contains("line two"), "the log lines");
        Thread.sleep(300); // the exit of the other, observed by its shim alone

        LinuxRuntime restarted = newRuntime();
        List<io.jctr.spi.runtime.ProcessExit> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        restarted.addExitListener(reported::add); // as the daemon does, after construction
        TaskRef run = new TaskRef("default", running);
        TaskRef exit = new TaskRef("default", exiting);
        TaskRef logs = new TaskRef("default", logging);
        assertTrue(restarted.tasks().containsAll(List.of(run, exit, logs)), restarted.tasks().toString());

        ProcessState stopped = restarted.state(exit, null);
        assertEquals(ProcessStatus.STOPPED, stopped.status());
        assertEquals(3, stopped.exitStatus().code(), "the exit code the shim recorded while the runtime was down");
        assertEquals(3, await(restarted.onExit(exit, null)).code());
        assertEquals("line one\nline two\n", Files.readString(log));

        assertEquals(ProcessStatus.RUNNING, restarted.state(run, null).status());
        restarted.exec(run, "e1", BusyboxBundle.process("sh", "-c", "exit 5"), Stdio.none());
        restarted.start(run, "e1");
        assertEquals(5, await(restarted.onExit(run, "e1")).code());
        restarted.pause(run);
        assertEquals(ProcessStatus.PAUSED, restarted.state(run, null).status());
        restarted.resume(run);
        restarted.kill(run, null, 9, false);
        assertEquals(137, await(restarted.onExit(run, null)).code());
        restarted.kill(logs, null, 9, false); // a pid namespace's init ignores unhandled SIGTERM
        assertEquals(137, await(restarted.onExit(logs, null)).code());

        awaitTrue(() -> reported.size() >= 3, "the exits of e1, run and logs reported");
        assertTrue(reported.stream().noneMatch(e -> e.task().equals(exit)),
                "an exit recorded while no runtime ran is found through state, not replayed: " + reported);
        for (TaskRef t : List.of(run, exit, logs)) {
            restarted.delete(t, null);
        }
        assertTrue(restarted.tasks().isEmpty());
        assertNothingLeft(List.of(running, exiting, logging), shims);
    }

    @Test
    void aKilledShimStopsItsTaskWith255AndDeleteCleansUp() throws Exception {
        TaskRef t = create("sleep", "1000");
        int init = runtime.start(t, null);
        int shim = ShimClient.recordedPid(state.resolve("default").resolve(t.id())).orElseThrow();
        assertTrue(ProcessHandle.of(shim).isPresent());
        assertEquals(init, runtime.pids(t).get(0).pid());
        new ProcessBuilder("kill", "-9", Integer.toString(shim)).start().waitFor();

        ExitStatus exit = await(runtime.onExit(t, null));
        assertEquals(255, exit.code());
        assertEquals(ProcessStatus.STOPPED, runtime.state(t, null).status());
        assertEquals(255, runtime.delete(t, null).code());
        assertNothingLeft(List.of(t.id()), List.of(shim));
        assertTrue(gone(init), "the container is killed");
    }

    @Test
    void aShimKilledWhileNoRuntimeRanIsFoundGone() throws Exception {
        TaskRef t = create("sleep", "1000");
        int init = runtime.start(t, null);
        int shim = ShimClient.runningShim(state.resolve("default").resolve(t.id())).orElseThrow();
        runtime.close();
        new ProcessBuilder("kill", "-9", Integer.toString(shim)).start().waitFor();
        awaitTrue(() -> gone(shim), "the shim to die");
        LinuxRuntime restarted = newRuntime();
        assertEquals(ProcessStatus.STOPPED, restarted.state(t, null).status());
        assertEquals(255, await(restarted.onExit(t, null)).code());
        assertEquals(255, restarted.delete(t, null).code());
        assertNothingLeft(List.of(t.id()), List.of(shim, init));
    }

    @Test
    void aHalfCreatedTaskIsRemovedAtReattach() throws Exception {
        TaskRef t = create("sleep", "1000");
        Path dir = state.resolve("default").resolve(t.id());
        int init = runtime.state(t, null).pid();
        int shim = ShimClient.runningShim(dir).orElseThrow();
        runtime.close();
        // What a daemon killed between the container's create and the runtime's record leaves.
        Files.delete(dir.resolve("task.json"));
        LinuxRuntime restarted = newRuntime();
        assertTrue(restarted.tasks().isEmpty());
        assertNothingLeft(List.of(t.id()), List.of(shim, init));
    }

    @Test
    void stdinHeldByTheShimEndsWithCloseIOOfANewRuntime() throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        assertEquals(0, new ProcessBuilder("mkfifo", in.toString()).start().waitFor());
        TaskRef t = create(new Stdio(in.toString(), out.toString(), "", false), "cat");
        runtime.start(t, null);
        runtime.close();
        try (FileOutputStream w = new FileOutputStream(in.toFile())) {
            w.write("while nobody listened\n".getBytes(StandardCharsets.UTF_8));
            w.flush();
            LinuxRuntime restarted = newRuntime();
            Thread.sleep(200); // cat would exit at end-of-file: a window to show it gets none yet
            assertEquals(ProcessStatus.RUNNING, restarted.state(t, null).status(), "the client's end is still open");
            restarted.closeIO(t, null);
            assertEquals(0, await(restarted.onExit(t, null)).code());
            assertEquals("while nobody listened\n", Files.readString(out));
            restarted.delete(t, null);
        }
    }

    @Test
    void outputFifoOutlivesItsReader() throws Exception {
        Path fifo = tmp.resolve("stdout");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        // ctr's way: the reader's open is already waiting when the task is created.
        CompletableFuture<FileInputStream> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return new FileInputStream(fifo.toFile());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        TaskRef t = create(new Stdio("", fifo.toString(), "", false),
                "sh", "-c", "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.02; done");
        runtime.start(t, null);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(reader.get(10, TimeUnit.SECONDS),
                StandardCharsets.UTF_8))) {
            assertEquals("line 0", r.readLine());
        }
        Thread.sleep(500); // writes with no reader but the shim's held end: no EPIPE, no SIGPIPE
        assertEquals(ProcessStatus.RUNNING, runtime.state(t, null).status());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new FileInputStream(fifo.toFile()),
                StandardCharsets.UTF_8))) {
            assertTrue(r.readLine().startsWith("line"), "a new reader gets what followed");
        }
        runtime.kill(t, null, 9, false);
        assertEquals(137, await(runtime.onExit(t, null)).code());
    }

    @Test
    void aShimIsSmallAndInTheRootCgroups() throws Exception {
        TaskRef t = create("sleep", "1000");
        runtime.start(t, null);
        int shim = ShimClient.recordedPid(state.resolve("default").resolve(t.id())).orElseThrow();
        long rss = kilobytes(Files.readString(Path.of("/proc", Integer.toString(shim), "status")), "VmRSS:");
        long pss = kilobytes(Files.readString(Path.of("/proc", Integer.toString(shim), "smaps_rollup")), "Pss:");
        System.out.println("shim " + shim + " of a sleeping container: VmRSS " + rss + " kB, Pss " + pss + " kB");
        assertTrue(rss < 1024, "VmRSS " + rss + " kB");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                state.resolve("default").resolve(t.id()).resolve(ShimClient.SOCKET))));
        // Out of this JVM's cgroups: a stop of the daemon's service (systemd kills its cgroup) spares it.
        for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(shim), "cgroup"))) {
            assertTrue(line.endsWith(":/"), line);
        }
    }

    private static long kilobytes(String text, String field) {
        return text.lines().filter(l -> l.startsWith(field)).map(l -> l.substring(field.length()).trim().split(" ")[0])
                .mapToLong(Long::parseLong).findFirst().orElseThrow();
    }

    /** No shim process, mount, cgroup or state file of the tasks {@code ids} is left. */
    private void assertNothingLeft(List<String> ids, List<Integer> shims) throws Exception {
        for (int shim : shims) {
            awaitTrue(() -> gone(shim), "shim " + shim + " to exit");
        }
        for (String id : ids) {
            assertFalse(Files.exists(state.resolve("default").resolve(id)), "state of " + id);
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                assertFalse(line.contains(id), "a mount is left: " + line);
            }
            try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
                for (Path h : hierarchies.toList()) {
                    assertFalse(Files.exists(h.resolve("jctr/default").resolve(id)), "a cgroup is left in " + h);
                }
            }
            assertFalse(Files.exists(Path.of("/sys/fs/cgroup/jctr/default").resolve(id)), "a cgroup is left");
        }
    }

    /** Whether {@code pid} has exited (a zombie of a parent that does not reap counts). */
    private static boolean gone(int pid) throws IOException {
        return io.jctr.plugins.runtime.linux.container.ProcStat.of(pid).map(s -> s.exited()).orElse(true);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!check.ok()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }
}
