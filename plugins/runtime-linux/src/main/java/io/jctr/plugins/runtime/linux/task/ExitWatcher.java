package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.container.ProcStat;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Observes the exits of container processes without a shim.
 *
 * <p><b>Children.</b> The JVM makes itself a child subreaper ({@code PR_SET_CHILD_SUBREAPER})
 * before the first launch. A detached launch's helper exits once the process is set up, so the
 * kernel re-parents the container's init (and each exec'd process) to this JVM, which can then
 * {@code waitpid} it and learn the real exit code. Each such process gets a dedicated thread
 * blocked in {@code waitpid(pid)} — never {@code waitpid(-1)}, which would steal the exit
 * statuses of the JDK's own {@link Process} children. The alternative, launching in the
 * foreground so that the helper stays the init's parent, keeps one more process per container
 * and only offers a polled wait. A cost of being a subreaper: an orphan the JVM did not launch
 * (a daemonising hook, say) is re-parented here too and stays a zombie, since nothing waits
 * for unknown pids.
 *
 * <p><b>Adopted processes.</b> After a daemon restart the containers' processes are no longer
 * children of this JVM (they were re-parented to init when the old one died), so their exit
 * codes are lost to it: they are polled through {@code /proc} (pid plus start time), and their
 * exit is reported with code {@code -1} (unknown) when they disappear. The same fallback is used
 * when {@code waitpid} says a process is not a child.
 *
 * <p>Thread-safe.
 */
final class ExitWatcher implements AutoCloseable {

    /** The exit code passed to a callback when it cannot be known. */
    static final int UNKNOWN_CODE = -1;

    private static final long REAPER_STACK = 256 * 1024;
    private static final long POLL_MILLIS = 100;

    private final Map<Integer, Adopted> adopted = new ConcurrentHashMap<>();
    private ScheduledExecutorService poller;
    private volatile boolean closed;

    private record Adopted(long startTime, IntConsumer onExit) {
    }

    /**
     * Reaps the child {@code pid} on a thread of its own and calls {@code onExit} with its exit
     * code there; if it turns out not to be a child, polls it as adopted instead.
     */
    void watchChild(int pid, long startTime, String name, IntConsumer onExit) {
        Thread t = new Thread(null, () -> {
            int code;
            try {
                code = NativeCalls.system().waitExit(pid);
            } catch (NativeCalls.NotAChildException e) {
                watchAdopted(pid, startTime, onExit);
                return;
            } catch (IOException | RuntimeException e) {
                System.err.println("warning: waiting for " + name + " (pid " + pid + ") failed: " + e.getMessage());
                code = UNKNOWN_CODE;
            }
            onExit.accept(code);
        }, "jctr-reaper-" + pid, REAPER_STACK);
        t.setDaemon(true);
        t.start();
    }

    /** Polls {@code pid} (not a child) and calls {@code onExit} with {@link #UNKNOWN_CODE} when it is gone. */
    synchronized void watchAdopted(int pid, long startTime, IntConsumer onExit) {
        if (closed) {
            return;
        }
        adopted.put(pid, new Adopted(startTime, onExit));
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "jctr-adopted-exits");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void poll() {
        for (Map.Entry<Integer, Adopted> e : adopted.entrySet()) {
            boolean alive;
            try {
                alive = ProcStat.alive(e.getKey(), e.getValue().startTime());
            } catch (IOException | RuntimeException ex) {
                alive = true; // try again next round
            }
            if (!alive && adopted.remove(e.getKey(), e.getValue())) {
                try {
                    e.getValue().onExit().accept(UNKNOWN_CODE);
                } catch (RuntimeException ex) {
                    System.err.println("warning: exit of adopted pid " + e.getKey() + ": " + ex);
                }
            }
        }
    }

    /** Stops polling; reaper threads finish on their own (they only wait). */
    @Override
    public synchronized void close() {
        closed = true;
        if (poller != null) {
            poller.shutdownNow();
        }
        adopted.clear();
    }
}
