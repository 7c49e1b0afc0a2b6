package io.jctr.plugins.runtime.linux.launch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.IdentityStep;
import io.jctr.plugins.runtime.linux.plan.LaunchPlan;
import io.jctr.plugins.runtime.linux.plan.LaunchPlanner;
import io.jctr.plugins.runtime.linux.plan.PlanEncoder;
import io.jctr.plugins.runtime.linux.plan.PlanOptions;
import io.jctr.plugins.runtime.linux.spec.SpecParser;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle whose rootfs is busybox-static with its applet links, runc's default spec to start
 * from, and launches that are always cleaned up: every init and helper is killed and reaped
 * after each test. The test JVM is made a child subreaper, so the inits of detached launches
 * are re-parented to it and can be reaped here.
 */
@Tag("root")
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class ContainerTestBase {

    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static List<String> applets;

    @TempDir
    Path tmp;

    Path bundle;
    Path rootfs;
    Path out;
    Path err;
    Path fifo;
    final List<Launched> launched = new CopyOnWriteArrayList<>();
    final List<Integer> inits = new CopyOnWriteArrayList<>();
    /** Start times of the inits, so that cleanup never kills a process that reused a pid. */
    private final Map<Integer, String> started = new ConcurrentHashMap<>();
    final Posix posix = Posix.system();

    @BeforeAll
    static void subreaper() throws IOException, InterruptedException {
        // PR_SET_CHILD_SUBREAPER
        if (Posix.system().libc.prctl(36, 1, 0, 0, 0) < 0) {
            throw Posix.system().failure("prctl PR_SET_CHILD_SUBREAPER");
        }
        if (applets == null) {
            Process p = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
            applets = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            p.waitFor();
        }
    }

    @BeforeEach
    void bundle() throws IOException {
        bundle = tmp.toRealPath().resolve("bundle");
        rootfs = bundle.resolve("rootfs");
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : applets) {
            if (!applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        }
        for (String dir : List.of("proc", "sys", "dev", "tmp", "etc", "root")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        out = tmp.resolve("out");
        err = tmp.resolve("err");
        fifo = tmp.resolve("exec.fifo");
        if (posix.libc.mkfifo(fifo.toString(), 0622) < 0) {
            throw posix.failure("mkfifo " + fifo);
        }
        // Past the umask: the init may no longer be root when it opens the FIFO (as runc).
        Files.setPosixFilePermissions(fifo, PosixFilePermissions.fromString("rw--w--w-"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        killAll();
        try (Stream<Path> tree = Files.walk(tmp)) {
            for (Iterator<Path> i = tree.sorted(Comparator.reverseOrder()).iterator(); i.hasNext(); ) {
                Files.delete(i.next());
            }
        }
    }

    /**
     * Kills and reaps every init and helper this test started and that still exists. A
     * detached launch's helper was reaped by the launch; a foreground one is a child of this JVM
     * until waited for.
     */
    void killAll() {
        for (int pid : inits) {
            if (startTime(pid).equals(started.get(pid))) {
                posix.libc.kill(pid, Posix.SIGKILL);
            }
        }
        for (Launched l : launched) {
            try {
                if (l.helperPid() > 0 && posix.waitpid(l.helperPid(), true) == -1) {
                    posix.libc.kill(l.helperPid(), Posix.SIGKILL);
                    reap(l.helperPid());
                }
            } catch (IOException e) {
                // ECHILD: reaped already
            }
        }
        for (int pid : inits) {
            if (startTime(pid).equals(started.get(pid))) {
                reap(pid);
            }
        }
        inits.clear();
        launched.clear();
    }

    /** Field 22 of /proc/PID/stat, or "" when there is no such process. */
    static String startTime(int pid) {
        try {
            String stat = Files.readAllLines(Path.of("/proc/" + pid + "/stat")).get(0);
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
        } catch (IOException e) {
            return "";
        }
    }

    /** Reaps {@code pid} if it is (still) a child of this JVM. */
    void reap(int pid) {
        try {
            posix.waitpid(pid, false);
        } catch (IOException e) {
            // ECHILD: not ours, or already reaped
        }
    }

    /** runc's default spec without a terminal and the cgroup mount, running {@code args}. */
    ObjectNode spec(String... args) {
        ObjectNode spec = (ObjectNode) TestSpecs.tree(new String(
                TestSpecs.resource("runc-spec.json"), StandardCharsets.UTF_8));
        ObjectNode process = (ObjectNode) spec.get("process");
        process.put("terminal", false);
        ArrayNode a = process.putArray("args");
        for (String arg : args) {
            a.add(arg);
        }
        ArrayNode mounts = (ArrayNode) spec.get("mounts");
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).get("type").asText().equals("cgroup")) {
                mounts.remove(i);
            }
        }
        return spec;
    }

    LaunchPlan plan(ObjectNode spec) throws IOException {
        return plan(spec, options());
    }

    LaunchPlan plan(ObjectNode spec, PlanOptions opts) throws IOException {
        return LaunchPlanner.plan(SpecParser.parse(TestSpecs.bytes(spec)), bundle, opts);
    }

    /** The defaults with this host's facts. */
    static PlanOptions options() throws IOException {
        // readAllLines: Files.readString trusts the size procfs reports and may come back short
        int lastCap = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).get(0));
        return PlanOptions.defaults().withLastCap(lastCap)
                .withHostHasKcore(Files.exists(Path.of("/proc/kcore")));
    }

    /** The plan without its WaitForStart, as for an extra process. */
    static byte[] withoutWait(LaunchPlan plan) {
        return PlanEncoder.encode(new LaunchPlan(plan.steps().stream()
                .filter(s -> !(s instanceof IdentityStep.WaitForStart)).toList(), List.of()));
    }

    LaunchRequest request(byte[] plan, boolean foreground) {
        return new LaunchRequest(plan, fifo, null, 0, List.of(),
                new LaunchRequest.Stdio(Path.of("/dev/null"), out, err), foreground, null);
    }

    /** Launches, remembering the init's pid at once so that cleanup finds it even if launch hangs. */
    Launched launch(LaunchRequest request, LaunchListener listener) throws IOException {
        Launched l = Launcher.launch(request, new LaunchListener() {
            @Override
            public String initStarted(int pid) throws IOException {
                inits.add(pid);
                started.put(pid, startTime(pid));
                return listener.initStarted(pid);
            }

            @Override
            public void createRuntimeHooks(int pid) throws IOException {
                listener.createRuntimeHooks(pid);
            }

            @Override
            public void ready(int pid) throws IOException {
                listener.ready(pid);
            }
        });
        launched.add(l);
        return l;
    }

    /** Runs {@code spec} in the foreground to its end: its exit code. */
    int run(ObjectNode spec) throws IOException, InterruptedException {
        Launched l = launch(request(PlanEncoder.encode(plan(spec)), true), LaunchListener.NONE);
        start();
        return l.waitFor();
    }

    /**
     * runc start: opens the exec FIFO for reading and takes the init's byte. Gives up after ten
     * seconds (an init that died never opens its end), unblocking the open with a writer of
     * its own.
     */
    void start() throws IOException, InterruptedException {
        FutureTask<Integer> open = new FutureTask<>(() -> {
            try (InputStream in = new FileInputStream(fifo.toFile())) {
                return in.read();
            }
        });
        Thread t = new Thread(open, "start");
        t.start();
        try {
            if (open.get(10, TimeUnit.SECONDS) < 0) {
                throw new IOException("nothing on the exec FIFO");
            }
        } catch (TimeoutException e) {
            new FileOutputStream(fifo.toFile()).close();
            throw new IOException("the init never opened the exec FIFO; stderr: " + stderr());
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            t.join();
        }
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
