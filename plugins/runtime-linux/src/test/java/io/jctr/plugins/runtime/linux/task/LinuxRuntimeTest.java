package io.jctr.plugins.runtime.linux.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import io.jctr.spi.metrics.CgroupStats;
import io.jctr.spi.runtime.CreateRequest;
import io.jctr.spi.runtime.ExitStatus;
import io.jctr.spi.runtime.ProcessExit;
import io.jctr.spi.runtime.ProcessInfo;
import io.jctr.spi.runtime.ProcessState;
import io.jctr.spi.runtime.ProcessStatus;
import io.jctr.spi.runtime.Stdio;
import io.jctr.spi.runtime.TaskRef;
import io.jctr.spi.snapshots.Mount;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class LinuxRuntimeTest extends LinuxRuntimeTestBase {

    @Test
    void runsToExitAndDeleteReportsTheCode() throws Exception {
        TaskRef t = create("sh", "-c", "exit 3");
        ProcessState created = runtime.state(t, null);
        assertEquals(ProcessStatus.CREATED, created.status());
        assertTrue(created.pid() > 0);
        assertEquals(created.pid(), runtime.start(t, null));
        ExitStatus exit = await(runtime.onExit(t, null));
        assertEquals(3, exit.code());
        assertEquals(created.pid(), exit.pid());
        ProcessState stopped = runtime.state(t, "");
        assertEquals(ProcessStatus.STOPPED, stopped.status());
        assertEquals(exit, stopped.exitStatus());
        assertEquals(exit, runtime.delete(t, null));
        assertTrue(runtime.tasks().isEmpty());
        assertKind(JctrException.Kind.NOT_FOUND, () -> runtime.state(t, null));
    }

    @Test
    void processesTheInitLeftAreReapedAndTheTaskDeletes() throws Exception {
        // When the init exits the kernel kills the rest of its pid namespace; they are
        // re-parented to the shim (their subreaper), never to this JVM, and reaped.
        TaskRef t = create("sh", "-c", "sleep 1000 & sleep 1000 & sleep 0.2; exit 4");
        runtime.start(t, null);
        assertEquals(4, await(runtime.onExit(t, null)).code());
        assertEquals(4, runtime.delete(t, null).code());
        long self = ProcessHandle.current().pid();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (java.io.IOException gone) {
                    continue;
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                assertTrue(!(f[0].equals("Z") && Long.parseLong(f[1]) == self && stat.contains("(sleep)")),
                        "a zombie sleep is left as this JVM's child: " + stat);
            }
        }
    }

    @Test
    void outputReachesFiles() throws Exception {
        Path out = tmp.resolve("out");
        Path err = tmp.resolve("err");
        TaskRef t = create(new Stdio("", out.toString(), "file://" + err, false),
                "sh", "-c", "echo hello; echo oops >&2");
        runtime.start(t, null);
        assertEquals(0, await(runtime.onExit(t, null)).code());
        assertEquals("hello\n", Files.readString(out));
        assertEquals("oops\n", Files.readString(err));
    }

    @Test
    void stdinFifoReachesEndOfFileWhenTheClientClosesIt() throws Exception {
        // ctr's `echo hi | ctr run ... cat`: its stdin ends before any CloseIO could be sent.
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        assertEquals(0, new ProcessBuilder("mkfifo", in.toString()).start().waitFor());
        TaskRef t = create(new Stdio(in.toString(), out.toString(), "", false), "cat");
        runtime.start(t, null);
        try (FileOutputStream w = new FileOutputStream(in.toFile())) {
            w.write("piped\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, await(runtime.onExit(t, null)).code());
        assertEquals("piped\n", Files.readString(out));
    }

    @Test
    void closeIOEndsStdinWhileTheClientKeepsItsEndOpen() throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        assertEquals(0, new ProcessBuilder("mkfifo", in.toString()).start().waitFor());
        TaskRef t = create(new Stdio(in.toString(), out.toString(), "", false), "cat");
        runtime.start(t, null);
        try (FileOutputStream w = new FileOutputStream(in.toFile())) {
            w.write("typed\n".getBytes(StandardCharsets.UTF_8));
            w.flush();
            runtime.closeIO(t, null); // the client's end is still open
            assertEquals(0, await(runtime.onExit(t, null)).code());
        }
        assertEquals("typed\n", Files.readString(out));
    }

    @Test
    void terminalOutputIsRelayedAndResized() throws Exception {
        Path bundle = bundle("sh", "-c", "tty; stty size; echo done");
        var spec = BusyboxBundle.spec("sh", "-c", "tty; stty size; echo done");
        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.get("process")).put("terminal", true);
        BusyboxBundle.write(bundle, spec);
        Path out = tmp.resolve("tty-out");
        TaskRef t = ref("default");
        runtime.create(new CreateRequest(t, bundle, List.of(), new Stdio("", out.toString(), "", true)));
        runtime.resizePty(t, null, 100, 40);
        runtime.start(t, null);
        assertEquals(0, await(runtime.onExit(t, null)).code());
        String text = Files.readString(out);
        assertTrue(text.contains("/dev/pts/"), text);
        assertTrue(text.contains("40 100\r\n"), text);
        assertTrue(text.contains("done\r\n"), text);
        runtime.delete(t, null);
        assertFalse(Files.exists(state.resolve("default").resolve(t.id())), "the task's directory (with its console socket) is removed");
    }

    @Test
    void concurrentTasksRunIndependently() throws Exception {
        List<java.util.concurrent.Future<Integer>> runs = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < 8; i++) {
                int code = i;
                Path bundle = bundle("sh", "-c", "exit " + code);
                runs.add(pool.submit(() -> {
                    TaskRef t = ref("default");
                    runtime.create(new CreateRequest(t, bundle, List.of(), Stdio.none()));
                    runtime.start(t, null);
                    await(runtime.onExit(t, null));
                    return runtime.delete(t, null).code();
                }));
            }
            for (int i = 0; i < runs.size(); i++) {
                assertEquals(i, runs.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(runtime.tasks().isEmpty());
    }

    @Test
    void terminalStdinEndsWithCloseIO() throws Exception {
        Path in = tmp.resolve("tty-in");
        Path out = tmp.resolve("tty-out");
        assertEquals(0, new ProcessBuilder("mkfifo", in.toString()).start().waitFor());
        Path bundle = bundle("cat");
        var spec = BusyboxBundle.spec("cat");
        ((com.fasterxml.jackson.databind.node.ObjectNode) spec.get("process")).put("terminal", true);
        BusyboxBundle.write(bundle, spec);
        TaskRef t = ref("default");
        runtime.create(new CreateRequest(t, bundle, List.of(), new Stdio(in.toString(), out.toString(), "", true)));
        runtime.start(t, null);
        try (FileOutputStream w = new FileOutputStream(in.toFile())) {
            w.write("typed\n".getBytes(StandardCharsets.UTF_8));
        }
        runtime.closeIO(t, null);
        assertEquals(0, await(runtime.onExit(t, null)).code());
        assertTrue(Files.readString(out).contains("typed"), Files.readString(out));
    }

    @Test
    void execWithATerminal() throws Exception {
        TaskRef t = create("sleep", "100");
        runtime.start(t, null);
        Path out = tmp.resolve("exec-tty-out");
        var process = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(BusyboxBundle.process("sh", "-c", "tty && exit 4"));
        process.put("terminal", true);
        runtime.exec(t, "tty", process.toString(), new Stdio("", out.toString(), "", true));
        runtime.start(t, "tty");
        assertEquals(4, await(runtime.onExit(t, "tty")).code());
        String text = Files.readString(out);
        assertTrue(text.contains("/dev/pts/"), text);
    }

    @Test
    void execRunsAndReportsItsOwnExit() throws Exception {
        TaskRef t = create("sleep", "100");
        runtime.start(t, null);
        runtime.exec(t, "e1", BusyboxBundle.process("sh", "-c", "exit 7"), Stdio.none());
        assertEquals(ProcessStatus.CREATED, runtime.state(t, "e1").status());
        assertKind(JctrException.Kind.ALREADY_EXISTS,
                () -> runtime.exec(t, "e1", BusyboxBundle.process("true"), Stdio.none()));
        assertKind(JctrException.Kind.ALREADY_EXISTS,
                () -> runtime.exec(t, t.id(), BusyboxBundle.process("true"), Stdio.none()));
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> runtime.exec(t, "", BusyboxBundle.process("true"), Stdio.none()));
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> runtime.exec(t, "e2", "{nope", Stdio.none()));
        int pid = runtime.start(t, "e1");
        ExitStatus exit = await(runtime.onExit(t, "e1"));
        assertEquals(7, exit.code());
        assertEquals(pid, exit.pid());
        assertEquals(ProcessStatus.STOPPED, runtime.state(t, "e1").status());
        assertEquals(ProcessStatus.RUNNING, runtime.state(t, null).status());
        assertEquals(exit, runtime.delete(t, "e1"));
        assertKind(JctrException.Kind.NOT_FOUND, () -> runtime.state(t, "e1"));
    }

    @Test
    void execProcessIsListedByPidsAndKilled() throws Exception {
        TaskRef t = create("sleep", "100");
        int init = runtime.start(t, null);
        runtime.exec(t, "sleeper", BusyboxBundle.process("sleep", "100"), Stdio.none());
        int exec = runtime.start(t, "sleeper");
        List<ProcessInfo> pids = runtime.pids(t);
        assertTrue(pids.contains(new ProcessInfo(init, "")), pids.toString());
        assertTrue(pids.contains(new ProcessInfo(exec, "sleeper")), pids.toString());
        assertKind(JctrException.Kind.FAILED_PRECONDITION, () -> runtime.delete(t, "sleeper"));
        runtime.kill(t, "sleeper", 15, false);
        assertEquals(128 + 15, await(runtime.onExit(t, "sleeper")).code());
        assertEquals(ProcessStatus.RUNNING, runtime.state(t, null).status());
    }

    @Test
    void killEndsTheTaskWithTheSignal() throws Exception {
        TaskRef t = create("sleep", "100");
        runtime.start(t, null);
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> runtime.kill(t, null, 0, false));
        runtime.kill(t, null, 9, false);
        assertEquals(137, await(runtime.onExit(t, null)).code());
        assertKind(JctrException.Kind.NOT_FOUND, () -> runtime.kill(t, null, 9, false));
        assertKind(JctrException.Kind.FAILED_PRECONDITION, () -> runtime.exec(t, "late", BusyboxBundle.process("true"), Stdio.none()));
        assertKind(JctrException.Kind.FAILED_PRECONDITION, () -> runtime.update(t, "{}"));
        assertEquals(137, runtime.delete(t, null).code());
    }

    @Test
    void pauseAndResume() throws Exception {
        TaskRef t = create("sleep", "100");
        assertKind(JctrException.Kind.FAILED_PRECONDITION, () -> runtime.pause(t));
        runtime.start(t, null);
        assertKind(JctrException.Kind.FAILED_PRECONDITION, () -> runtime.resume(t));
        runtime.pause(t);
        assertEquals(ProcessStatus.PAUSED, runtime.state(t, null).status());
        assertKind(JctrException.Kind.FAILED_PRECONDITION, () -> runtime.pause(t));
        assertKind(JctrException.Kind.FAILED_PRECONDITION, () -> runtime.delete(t, null));
        runtime.resume(t);
        assertEquals(ProcessStatus.RUNNING, runtime.state(t, null).status());
    }

    @Test
    void statsAndUpdate() throws Exception {
        TaskRef t = create("sleep", "100");
        runtime.start(t, null);
        CgroupStats stats = runtime.stats(t);
        assertFalse(stats.values().isEmpty());
        assertTrue(stats.values().getOrDefault("pids.current", 0L) >= 1, stats.toString());
        runtime.update(t, "{\"pids\":{\"limit\":42}}");
        assertEquals(42L, runtime.stats(t).values().get("pids.limit"));
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> runtime.update(t, "[1]"));
    }

    @Test
    void errorsAsTheContractSays() throws Exception {
        TaskRef t = create("sleep", "100");
        Path bundle = tmp.resolve("other");
        BusyboxBundle.config(bundle, "true");
        assertKind(JctrException.Kind.ALREADY_EXISTS,
                () -> runtime.create(new CreateRequest(t, bundle, List.of(), Stdio.none())));
        runtime.start(t, null);
        assertKind(JctrException.Kind.FAILED_PRECONDITION, () -> runtime.start(t, null));
        assertKind(JctrException.Kind.FAILED_PRECONDITION, () -> runtime.delete(t, null));
        assertKind(JctrException.Kind.NOT_FOUND, () -> runtime.state(t, "nope"));
        assertKind(JctrException.Kind.NOT_FOUND, () -> runtime.kill(t, "nope", 9, false));
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> runtime.resizePty(t, null, 0, 10));
        runtime.resizePty(t, null, 80, 24);
        runtime.closeIO(t, null);

        TaskRef missing = ref("default");
        for (Executable call : List.<Executable>of(
                () -> runtime.state(missing, null), () -> runtime.start(missing, null),
                () -> runtime.kill(missing, null, 9, false), () -> runtime.delete(missing, null),
                () -> runtime.onExit(missing, null), () -> runtime.pids(missing), () -> runtime.stats(missing),
                () -> runtime.pause(missing), () -> runtime.resume(missing), () -> runtime.closeIO(missing, null),
                () -> runtime.update(missing, "{}"),
                () -> runtime.exec(missing, "e", BusyboxBundle.process("true"), Stdio.none()))) {
            assertKind(JctrException.Kind.NOT_FOUND, call);
        }
        TaskRef other = ref("default");
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> runtime.create(
                new CreateRequest(other, bundle, List.of(), new Stdio("", "", "", true))));
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> runtime.exec(t, "tty",
                BusyboxBundle.process("true"), new Stdio("", "", "", true)));
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> runtime.create(
                new CreateRequest(other, bundle, List.of(), new Stdio("", "binary:///bin/logger", "", false))));
        assertKind(JctrException.Kind.INVALID_ARGUMENT, () -> runtime.create(
                new CreateRequest(other, tmp.resolve("no-bundle"), List.of(), Stdio.none())));
        assertEquals(List.of(t), runtime.tasks());
    }

    @Test
    void deletingACreatedTaskReports255() throws Exception {
        TaskRef t = create("true");
        int pid = runtime.state(t, null).pid();
        ExitStatus exit = runtime.delete(t, null);
        assertEquals(255, exit.code());
        assertEquals(pid, exit.pid());
        assertTrue(runtime.tasks().isEmpty());
    }

    @Test
    void exitListenerIsCalledOnceAfterStateSaysStopped() throws Exception {
        List<ProcessExit> exits = new CopyOnWriteArrayList<>();
        List<ProcessStatus> seen = new CopyOnWriteArrayList<>();
        runtime.addExitListener(e -> {
            exits.add(e);
            try {
                seen.add(runtime.state(e.task(), e.id()).status());
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        });
        TaskRef t = create("sh", "-c", "exit 2");
        runtime.start(t, null);
        await(runtime.onExit(t, null));
        for (int i = 0; i < 100 && exits.isEmpty(); i++) {
            Thread.sleep(20); // polling: the listener is called on the runtime's thread
        }
        Thread.sleep(300); // a window for a second, wrong call to arrive (proving a negative)
        assertEquals(1, exits.size(), exits.toString());
        assertTrue(exits.get(0).isInit());
        assertEquals(t, exits.get(0).task());
        assertEquals(2, exits.get(0).status().code());
        assertEquals(List.of(ProcessStatus.STOPPED), seen);
        runtime.delete(t, null);
        Thread.sleep(100); // as above, after delete
        assertEquals(1, exits.size(), "delete must not report the exit again");
    }

    @Test
    void tasksAreKeptPerNamespace() throws Exception {
        TaskRef a = ref("ns-a");
        TaskRef b = new TaskRef("ns-b", a.id());
        runtime.create(new CreateRequest(a, bundle("sleep", "100"), List.of(), Stdio.none()));
        runtime.create(new CreateRequest(b, bundle("sleep", "100"), List.of(), Stdio.none()));
        assertEquals(2, runtime.tasks().size());
        assertTrue(runtime.tasks().containsAll(List.of(a, b)));
        assertTrue(Files.isDirectory(state.resolve("ns-a").resolve(a.id())));
        runtime.start(a, null);
        int pidB = runtime.start(b, null);
        runtime.kill(a, null, 9, true);
        await(runtime.onExit(a, null));
        runtime.delete(a, null);
        assertEquals(List.of(b), runtime.tasks());
        // separate cgroups: killing and deleting a left b alone
        assertEquals(ProcessStatus.RUNNING, runtime.state(b, null).status());
        assertEquals(List.of(new ProcessInfo(pidB, "")), runtime.pids(b));
    }

    @Test
    void rootfsMountsArePerformedAndUndone() throws Exception {
        Path image = tmp.resolve("image");
        BusyboxBundle.rootfs(image);
        Files.writeString(image.resolve("etc/marker"), "from the snapshot\n");
        Path bundle = tmp.resolve("mounted-bundle");
        BusyboxBundle.config(bundle, "cat", "/etc/marker");
        Path out = tmp.resolve("out");
        TaskRef t = ref("default");
        runtime.create(new CreateRequest(t, bundle, List.of(new Mount("bind", image.toString(), List.of("rbind", "ro"))),
                new Stdio("", out.toString(), "", false)));
        assertTrue(mounted(bundle.resolve("rootfs")));
        runtime.start(t, null);
        assertEquals(0, await(runtime.onExit(t, null)).code());
        assertEquals("from the snapshot\n", Files.readString(out));
        runtime.delete(t, null);
        assertFalse(mounted(bundle.resolve("rootfs")));
    }

    @Test
    void aNewInstanceReattachesToALiveTask() throws Exception {
        TaskRef t = create("sleep", "100");
        int pid = runtime.start(t, null);
        TaskRef done = create("true");
        runtime.start(done, null);
        assertEquals(0, await(runtime.onExit(done, null)).code());

        runtime.close(); // what a daemon stop does: the tasks go on
        LinuxRuntime restarted = newRuntime();
        assertTrue(restarted.tasks().containsAll(List.of(t, done)), restarted.tasks().toString());
        ProcessState s = restarted.state(t, null);
        assertEquals(ProcessStatus.RUNNING, s.status());
        assertEquals(pid, s.pid());
        assertEquals(ProcessStatus.STOPPED, restarted.state(done, null).status());
        assertEquals(0, restarted.state(done, null).exitStatus().code());
        restarted.kill(t, null, 9, false);
        ExitStatus exit = await(restarted.onExit(t, null));
        // The shim, not this JVM, is its parent: the code is known across instances.
        assertEquals(137, exit.code(), exit.toString());
        restarted.delete(t, null);
        assertEquals(0, restarted.delete(done, null).code());
    }

    private static boolean mounted(Path dir) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .anyMatch(l -> l.split(" ")[4].equals(dir.toString()));
    }

    static void assertKind(JctrException.Kind kind, Executable call) {
        JctrException e = assertThrows(JctrException.class, call);
        assertEquals(kind, e.kind(), e.getMessage());
    }
}
