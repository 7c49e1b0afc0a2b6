package io.jctr.plugins.runtime.linux.task;

import io.jctr.spi.runtime.CreateRequest;
import io.jctr.spi.runtime.ExitStatus;
import io.jctr.spi.runtime.Stdio;
import io.jctr.spi.runtime.TaskRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Whole-system latency of {@code create → start → wait for exit → delete} of {@code /bin/true}
 * through {@link LinuxRuntime}, in one JVM: what the daemon pays per short-lived container, to
 * compare with {@code runc run} on the same bundle. Not a test; run as root:
 *
 * <pre>
 * java -cp CLASSPATH io.jctr.plugins.runtime.linux.task.InProcessRunTrueBenchmark [BUNDLE [N [WARMUP]]]
 * </pre>
 *
 * BUNDLE (default {@code /tmp/jctr-bench-bundle}) is created when missing: busybox-static and
 * runc's example spec (read-only root, no terminal, no cgroup mount) running {@code /bin/true}.
 * N defaults to 50 timed iterations after WARMUP (default 10).
 */
public final class InProcessRunTrueBenchmark {

    private InProcessRunTrueBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args.length > 0 ? args[0] : "/tmp/jctr-bench-bundle").toAbsolutePath();
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        if (!Files.exists(bundle.resolve("config.json"))) {
            BusyboxBundle.rootfs(bundle.resolve("rootfs"));
            BusyboxBundle.config(bundle, "/bin/true");
        }
        Path state = Files.createTempDirectory("jctr-bench-state");
        List<Double> millis = new ArrayList<>();
        List<List<Double>> phases = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try (LinuxRuntime runtime = new LinuxRuntime(state, w -> System.err.println("warning: " + w))) {
            for (int i = 0; i < warmup + n; i++) {
                TaskRef task = new TaskRef("bench", "bench-" + ProcessHandle.current().pid() + "-" + i);
                long start = System.nanoTime();
                runtime.create(new CreateRequest(task, bundle, List.of(), Stdio.none()));
                long created = System.nanoTime();
                runtime.start(task, null);
                long started = System.nanoTime();
                ExitStatus exit = runtime.onExit(task, null).get(30, TimeUnit.SECONDS);
                long exited = System.nanoTime();
                runtime.delete(task, null);
                long deleted = System.nanoTime();
                long elapsed = deleted - start;
                if (exit.code() != 0) {
                    throw new IllegalStateException("/bin/true exited with " + exit.code());
                }
                if (i >= warmup) {
                    millis.add(elapsed / 1e6);
                    phases.get(0).add((created - start) / 1e6);
                    phases.get(1).add((started - created) / 1e6);
                    phases.get(2).add((exited - started) / 1e6);
                    phases.get(3).add((deleted - exited) / 1e6);
                }
            }
        } finally {
            NamespaceCgroups.removeEmpty(List.of("bench"));
            try (Stream<Path> tree = Files.walk(state)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.err.println("warning: cannot remove " + state + ": " + e.getMessage());
            }
        }
        double median = median(millis);
        double mean = millis.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        System.out.printf("in-process create+start+wait+delete of /bin/true, %d runs after %d warm-up: "
                + "median %.2f ms, mean %.2f ms, min %.2f ms, max %.2f ms%n",
                n, warmup, median, mean, millis.get(0), millis.get(n - 1));
        System.out.printf("median per phase: create %.2f ms, start %.2f ms, wait for exit %.2f ms, delete %.2f ms%n",
                median(phases.get(0)), median(phases.get(1)), median(phases.get(2)), median(phases.get(3)));
    }

    /** Sorts {@code values} and returns their median. */
    private static double median(List<Double> values) {
        Collections.sort(values);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }
}
