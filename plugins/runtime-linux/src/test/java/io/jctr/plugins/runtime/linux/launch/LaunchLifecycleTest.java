package io.jctr.plugins.runtime.linux.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.PlanEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.Test;

/** Detached and foreground launches, start through the exec FIFO, fds and terminals. */
class LaunchLifecycleTest extends ContainerTestBase {

    @Test
    void detachedCreateWaitsForStartUnderTheSubreaper() throws Exception {
        Launched l = launch(request(PlanEncoder.encode(plan(spec("echo", "started"))), false),
                LaunchListener.NONE);
        assertTrue(l.waitingForStart());
        assertEquals(posix.libc.getpid(), parentOf(l.pid()));
        assertEquals("", stdout());
        start();
        assertEquals(0, Posix.exitCode(posix.waitpid(l.pid(), false)), this::stderr);
        assertEquals("started\n", stdout());
    }

    @Test
    void withoutWaitForStartTheLaunchReturnsAfterTheExec() throws Exception {
        LaunchRequest r = new LaunchRequest(withoutWait(plan(spec("sh", "-c", "read x; echo got $x"))),
                null, null, 0, List.of(), new LaunchRequest.Stdio(null, out, err), false, null);
        Path in = tmp.resolve("in");
        Files.writeString(in, "input\n");
        r = new LaunchRequest(r.plan(), null, null, 0, List.of(),
                new LaunchRequest.Stdio(in, out, err), false, null);
        Launched l = launch(r, LaunchListener.NONE);
        assertFalse(l.waitingForStart());
        assertEquals(0, Posix.exitCode(posix.waitpid(l.pid(), false)), this::stderr);
        assertEquals("got input\n", stdout());
    }

    @Test
    void foregroundWithoutWaitForStartAsForAnExtraProcess() throws Exception {
        LaunchRequest r = new LaunchRequest(withoutWait(plan(spec("sh", "-c", "echo extra; exit 5"))),
                null, null, 0, List.of(), new LaunchRequest.Stdio(null, out, err), true, null);
        Launched l = launch(r, LaunchListener.NONE);
        assertFalse(l.waitingForStart());
        assertEquals(5, l.waitFor());
        assertEquals("extra\n", stdout());
    }

    @Test
    void concurrentLaunches() throws Exception {
        List<Path> outs = new ArrayList<>();
        List<Future<Integer>> runs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            byte[] plan = withoutWait(plan(spec("sh", "-c", "echo $$")));
            for (int i = 0; i < 8; i++) {
                Path o = tmp.resolve("out" + i);
                outs.add(o);
                LaunchRequest r = new LaunchRequest(plan, null, null, 0, List.of(),
                        new LaunchRequest.Stdio(null, o, err), true, null);
                runs.add(pool.submit(() -> launch(r, LaunchListener.NONE).waitFor()));
            }
            for (int i = 0; i < runs.size(); i++) {
                assertEquals(0, runs.get(i).get(), this::stderr);
                assertEquals("1\n", read(outs.get(i)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void preservedDescriptorsKeepTheirNumbers() throws Exception {
        ObjectNode spec = spec("sh", "-c", "stat -L -c %d:%i /proc/$$/fd/3 /proc/$$/fd/4;"
                + " [ -e /proc/$$/fd/5 ] && echo fd 5 leaked; true");
        LaunchRequest plain = request(PlanEncoder.encode(plan(spec)), true);
        Launched l = launch(new LaunchRequest(plain.plan(), fifo, null, 2, List.of(), plain.stdio(),
                true, null), LaunchListener.NONE);
        start();
        assertEquals(0, l.waitFor(), this::stderr);
        assertEquals(identity(3) + "\n" + identity(4) + "\n", stdout());
    }

    @Test
    void terminalMasterGoesToTheConsoleSocket() throws Exception {
        Path socket = tmp.resolve("console.sock");
        int server = listen(socket);
        try {
            ObjectNode spec = spec("sh", "-c", "[ -t 0 ] && [ -t 1 ] && echo on a tty; stat -c %t /dev/console");
            ((ObjectNode) spec.get("process")).put("terminal", true);
            LaunchRequest plain = request(PlanEncoder.encode(plan(spec)), true);
            Launched l = launch(new LaunchRequest(plain.plan(), fifo,
                    new LaunchRequest.Terminal(socket, 0, 0), 0, List.of(), plain.stdio(), true, null),
                    LaunchListener.NONE);
            int master = receiveFd(server);
            try {
                start();
                String output = readAll(master);
                assertEquals(0, l.waitFor(), output);
                // 0x88: the major number of /dev/pts/N, bound on /dev/console
                assertEquals("on a tty\r\n88\r\n", output);
            } finally {
                TestLibC.INSTANCE.close(master);
            }
        } finally {
            TestLibC.INSTANCE.close(server);
        }
    }

    @Test
    void consoleSizeIsTheTerminalsFirstSize() throws Exception {
        Path socket = tmp.resolve("console.sock");
        int server = listen(socket);
        try {
            ObjectNode spec = spec("stty", "size");
            ((ObjectNode) spec.get("process")).put("terminal", true);
            LaunchRequest plain = request(withoutWait(plan(spec)), false);
            Launched l = launch(new LaunchRequest(plain.plan(), null,
                    new LaunchRequest.Terminal(socket, 10, 110), 0, List.of(), plain.stdio(), true, null),
                    LaunchListener.NONE);
            int master = receiveFd(server);
            try {
                String output = readAll(master);
                assertEquals(0, l.waitFor(), output);
                assertEquals("10 110\r\n", output);
            } finally {
                TestLibC.INSTANCE.close(master);
            }
        } finally {
            TestLibC.INSTANCE.close(server);
        }
    }

    @Test
    void foregroundTerminalWithoutSocketIsRelayed() throws Exception {
        ObjectNode spec = spec("sh", "-c", "read x; readlink /proc/self/fd/1; stat -c %u:%g $(tty); echo got $x");
        ObjectNode process = (ObjectNode) spec.get("process");
        process.put("terminal", true);
        ((ObjectNode) process.get("user")).put("uid", 1000);
        Path in = tmp.resolve("in");
        Files.writeString(in, "input\n");
        LaunchRequest plain = request(PlanEncoder.encode(plan(spec)), true);
        Launched l = launch(new LaunchRequest(plain.plan(), fifo, new LaunchRequest.Terminal(null, 0, 0),
                0, List.of(), new LaunchRequest.Stdio(in, plain.stdio().out(), plain.stdio().err()), true,
                null), LaunchListener.NONE);
        start();
        assertEquals(0, l.waitFor(), this::stderr);
        // The terminal echoes the input; ONLCR is off, as runc has it: no "\r".
        assertTrue(stdout().matches("input\n/dev/pts/\\d+\n1000:\\d+\ngot input\n"), stdout());
    }

    @Test
    void detachedTerminalNeedsASocket() {
        assertThrows(IllegalArgumentException.class, () -> new LaunchRequest(new byte[0], null,
                new LaunchRequest.Terminal(null, 0, 0), 0, List.of(), LaunchRequest.Stdio.INHERIT, false, null));
    }

    @Test
    void cgroupsAreJoinedBeforeTheInitIsCreated() throws Exception {
        // cgroup v1's pids hierarchy (this project's CI), or the v2 root
        boolean v1 = Files.isDirectory(Path.of("/sys/fs/cgroup/pids"));
        Path cgroup = Path.of(v1 ? "/sys/fs/cgroup/pids" : "/sys/fs/cgroup")
                .resolve("jctr-launch-test-" + ProcessHandle.current().pid());
        String line = v1 ? ":pids:" : "0::";
        Files.createDirectory(cgroup);
        try {
            LaunchRequest plain = request(PlanEncoder.encode(plan(spec("grep", line, "/proc/self/cgroup"))), true);
            Launched l = launch(new LaunchRequest(plain.plan(), fifo, null, 0,
                    List.of(cgroup.resolve("cgroup.procs")), plain.stdio(), true, null), LaunchListener.NONE);
            start();
            assertEquals(0, l.waitFor(), this::stderr);
            assertTrue(stdout().endsWith(line + "/" + cgroup.getFileName() + "\n"), stdout());
        } finally {
            killAll(); // a cgroup with processes cannot be removed
            Files.delete(cgroup);
        }
    }

    private int parentOf(int pid) throws IOException {
        String stat = Files.readAllLines(Path.of("/proc/" + pid + "/stat")).get(0);
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    private static String identity(int fd) throws IOException {
        Path p = Path.of("/proc/self/fd/" + fd);
        return Files.getAttribute(p, "unix:dev") + ":" + Files.getAttribute(p, "unix:ino");
    }

    private static int listen(Path path) throws IOException {
        TestLibC c = TestLibC.INSTANCE;
        int fd = c.socket(1, 1, 0);
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        byte[] address = new byte[2 + name.length + 1];
        address[0] = 1; // AF_UNIX, little-endian sa_family_t
        System.arraycopy(name, 0, address, 2, name.length);
        if (fd < 0 || c.bind(fd, address, address.length) < 0 || c.listen(fd, 1) < 0) {
            throw new IOException("cannot listen on " + path);
        }
        return fd;
    }

    /** recvtty's part: accept, then one recvmsg with the descriptor as SCM_RIGHTS. */
    private int receiveFd(int server) throws IOException {
        TestLibC c = TestLibC.INSTANCE;
        int conn = c.accept(server, null, null);
        if (conn < 0) {
            throw new IOException("accept");
        }
        try {
            jnr.ffi.Runtime rt = posix.runtime;
            Pointer data = Memory.allocateDirect(rt, 256);
            Pointer iov = Memory.allocateDirect(rt, 16);
            Pointer control = Memory.allocateDirect(rt, 64);
            Pointer msg = Memory.allocateDirect(rt, 56);
            iov.putAddress(0, data.address());
            iov.putLong(8, 256);
            msg.putAddress(16, iov.address());
            msg.putLong(24, 1);
            msg.putAddress(32, control.address());
            msg.putLong(40, 64);
            if (c.recvmsg(conn, msg, 0) < 0) {
                throw posix.failure("recvmsg");
            }
            assertEquals(1, control.getInt(8)); // SOL_SOCKET
            assertEquals(1, control.getInt(12)); // SCM_RIGHTS
            return control.getInt(16);
        } finally {
            c.close(conn);
        }
    }

    /** The master's output until the last slave is closed (read fails with EIO). */
    private static String readAll(int master) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        long n;
        while ((n = TestLibC.INSTANCE.read(master, buf, buf.length)) > 0) {
            out.write(buf, 0, (int) n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
