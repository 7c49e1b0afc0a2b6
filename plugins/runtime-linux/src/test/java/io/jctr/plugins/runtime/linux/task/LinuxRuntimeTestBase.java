package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.container.LinuxContainers;
import io.jctr.plugins.runtime.linux.container.StateDirectory;
import io.jctr.plugins.runtime.linux.launch.ShimProcess;
import io.jctr.plugins.runtime.linux.shim.ShimClient;
import io.jctr.spi.runtime.CreateRequest;
import io.jctr.spi.runtime.ExitStatus;
import io.jctr.spi.runtime.Stdio;
import io.jctr.spi.runtime.TaskRef;
import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real containers through {@link LinuxRuntime}, always cleaned up: every task is killed, waited
 * for and deleted after each test (which also removes its cgroups and root file-system mounts),
 * then whatever a failed delete left in the state directory is force-deleted and any mount left
 * under the temporary directory is detached.
 */
@Tag("root")
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class LinuxRuntimeTestBase {

    private static final AtomicInteger IDS = new AtomicInteger();

    @TempDir
    Path tmp;

    Path state;
    LinuxRuntime runtime;
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<LinuxRuntime> runtimes = new ArrayList<>();

    @BeforeEach
    void startRuntime() throws IOException {
        tmp = tmp.toRealPath();
        state = tmp.resolve("state");
        runtime = newRuntime();
    }

    LinuxRuntime newRuntime() throws IOException {
        LinuxRuntime r = new LinuxRuntime(state, warnings::add);
        runtimes.add(r);
        return r;
    }

    /** A task ref unique across test runs, so parallel runs never share a default cgroup. */
    static TaskRef ref(String namespace) {
        return new TaskRef(namespace, "rt" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet());
    }

    /** A bundle with a busybox rootfs in place, running {@code args}. */
    Path bundle(String... args) throws IOException {
        Path bundle = tmp.resolve("bundle" + IDS.incrementAndGet());
        BusyboxBundle.rootfs(bundle.resolve("rootfs"));
        BusyboxBundle.config(bundle, args);
        return bundle;
    }

    TaskRef create(String... args) throws IOException {
        return create(Stdio.none(), args);
    }

    TaskRef create(Stdio stdio, String... args) throws IOException {
        TaskRef ref = ref("default");
        runtime.create(new CreateRequest(ref, bundle(args), List.<Mount>of(), stdio));
        return ref;
    }

    static ExitStatus await(java.util.concurrent.CompletableFuture<ExitStatus> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (LinuxRuntime r : runtimes) {
            for (TaskRef t : r.tasks()) {
                try {
                    r.kill(t, null, 9, true);
                } catch (RuntimeException | IOException e) {
                    // already stopped
                }
                try {
                    r.onExit(t, null).get(10, TimeUnit.SECONDS);
                    r.delete(t, null);
                } catch (Exception e) {
                    // another instance deleted it, or it is forced below
                }
            }
            r.close();
        }
        forceDeleteLeftovers();
        NamespaceCgroups.removeEmpty(java.util.List.of("default", "ns-a", "ns-b"));
        detachMountsUnder(tmp);
        try (Stream<Path> tree = Files.walk(tmp)) {
            for (Iterator<Path> i = tree.sorted(Comparator.reverseOrder()).iterator(); i.hasNext(); ) {
                Files.deleteIfExists(i.next());
            }
        }
    }

    private void forceDeleteLeftovers() throws IOException {
        if (!Files.isDirectory(state)) {
            return;
        }
        try (DirectoryStream<Path> namespaces = Files.newDirectoryStream(state,
                d -> Files.isDirectory(d) && !d.getFileName().toString().startsWith("."))) {
            for (Path ns : namespaces) {
                LinuxContainers containers = new LinuxContainers(new StateDirectory(ns), w -> { });
                for (String id : containers.store().ids()) {
                    containers.delete(id, true);
                }
                // A shim whose task was not deleted (or whose create failed half-way).
                try (DirectoryStream<Path> dirs = Files.newDirectoryStream(ns, Files::isDirectory)) {
                    for (Path dir : dirs) {
                        ShimClient.runningShim(dir).ifPresent(ShimProcess::kill);
                    }
                }
            }
        }
    }

    private static void detachMountsUnder(Path dir) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String target = line.split(" ")[4];
            if (target.startsWith(dir.toString())) {
                targets.add(target);
            }
        }
        targets.sort(Comparator.reverseOrder());
        for (String t : targets) {
            NativeCalls.system().umount(t, NativeCalls.MNT_DETACH);
        }
    }
}
