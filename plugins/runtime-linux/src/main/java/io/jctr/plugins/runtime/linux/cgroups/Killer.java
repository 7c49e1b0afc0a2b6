package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.plugins.runtime.linux.launch.Syscalls;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Kills every process of a cgroup so that none escapes by forking: {@code cgroup.kill} where the
 * kernel has it (5.14+), else SIGKILL to each process while the v1 freezer holds them all, as
 * runc's {@code signalAllProcesses} does. Stateless.
 */
final class Killer {

    private static final long TIMEOUT_NANOS = 5_000_000_000L;

    private Killer() {
    }

    /**
     * @param pids    the processes of the cgroup, recursively
     * @param freezer the v1 freezer directory, or {@code null}
     * @param v2      the container's cgroup2 directory, or {@code null}
     */
    static void killAll(Supplier<List<Long>> pids, Path freezer, Path v2) {
        if (v2 != null && CgroupFiles.exists(v2, "cgroup.kill")) {
            CgroupFiles.write(v2, "cgroup.kill", "1");
        } else if (freezer != null) {
            Freezer.freezeV1(freezer);
            try {
                pids.get().forEach(Killer::kill);
            } finally {
                Freezer.thawV1(freezer);
            }
        }
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            List<Long> left = pids.get();
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw JctrException.unavailable("cgroup: processes %s survived SIGKILL for 5 s",
                        left);
            }
            left.forEach(Killer::kill);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JctrException(JctrException.Kind.ABORTED, "cgroup: kill: interrupted", e);
            }
        }
    }

    /** Signals every process while {@code freeze} (if not null) holds them, then thaws. */
    static void signalAll(Supplier<List<Long>> pids, int signal, Runnable freeze, Runnable thaw) {
        if (freeze != null) {
            freeze.run();
        }
        try {
            for (long pid : pids.get()) {
                if (pid != ProcessHandle.current().pid()) {
                    send(pid, signal);
                }
            }
        } finally {
            if (thaw != null) {
                thaw.run();
            }
        }
    }

    /** kill(2) with any signal; a process that is gone already is not an error. */
    private static void send(long pid, int signal) {
        try {
            Syscalls.kill((int) pid, signal);
        } catch (IOException e) {
            throw new JctrException(JctrException.Kind.UNKNOWN, "cgroup: " + e.getMessage(), e);
        }
    }

    private static void kill(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return; // never this runtime, should it have joined the cgroup
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
}
