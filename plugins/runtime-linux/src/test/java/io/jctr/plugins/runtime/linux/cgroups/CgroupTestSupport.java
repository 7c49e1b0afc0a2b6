package io.jctr.plugins.runtime.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Real cgroups for tests: unique names, processes started outside and moved in before they do
 * anything, and cleanup of every cgroup and process even when a test fails.
 */
final class CgroupTestSupport implements AutoCloseable {

    private final List<ContainerCgroup> cgroups = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static String uniqueName() {
        return "jctr-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Remembers {@code cg} for cleanup. */
    <T extends ContainerCgroup> T track(T cg) {
        cgroups.add(cg);
        return cg;
    }

    /**
     * Starts {@code sh -c script} that first waits for a line on stdin, moves it into
     * {@code cg}, then lets it go: everything the script does happens inside the cgroup.
     */
    Process startIn(ContainerCgroup cg, String script) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", "read go; " + script).start();
        processes.add(p);
        cg.addProcess(p.pid());
        OutputStream in = p.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        return p;
    }

    static String stdout(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static String stderr(Process p) throws IOException {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static void await(Process p) throws InterruptedException {
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "process did not finish");
    }

    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        RuntimeException failure = null;
        for (ContainerCgroup cg : cgroups) {
            try {
                cg.destroy(true);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
