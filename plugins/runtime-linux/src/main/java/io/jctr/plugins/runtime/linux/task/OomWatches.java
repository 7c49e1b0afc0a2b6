package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.cgroups.OomWatch;
import io.jctr.spi.runtime.TaskRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The OOM watches of every live task, served by one thread for all of them: it waits in
 * {@link OomWatch#awaitAny} (one poll(2) over the v1 eventfds, woken at once by an OOM) for at
 * most {@value #PERIOD_MILLIS} ms, then checks each watch without blocking (v2 counters are read
 * then, so there an OOM is seen within that period). The thread starts with the first watch and
 * ends with {@link #close}.
 *
 * <p>{@link #check} polls one task's watch at once, from the caller's thread, so that an OOM
 * that killed the init is reported before its exit. Reports of one task are serialised on its
 * watch, so the serving thread and {@code check} never report the same notification twice.
 * Thread-safe.
 */
final class OomWatches implements AutoCloseable {

    static final long PERIOD_MILLIS = 100;
    private static final Duration PERIOD = Duration.ofMillis(PERIOD_MILLIS);

    private final Consumer<TaskRef> onOom;
    private final Consumer<String> warnings;
    private final Map<TaskRef, OomWatch> watches = new ConcurrentHashMap<>();
    private Thread thread;
    private volatile boolean closed;

    /** {@code onOom} is called with the task on every OOM of its cgroup; it must not throw. */
    OomWatches(Consumer<TaskRef> onOom, Consumer<String> warnings) {
        this.onOom = onOom;
        this.warnings = warnings;
    }

    /** Watches {@code task} with {@code watch} (taken over: closed at {@link #stop}). */
    void start(TaskRef task, OomWatch watch) {
        synchronized (this) {
            if (closed) {
                watch.close();
                return;
            }
            if (thread == null) {
                thread = new Thread(this::serve, "jctr-runtime-oom");
                thread.setDaemon(true);
                thread.start();
            }
            stop(task);
            watches.put(task, watch);
        }
    }

    /** Reports an OOM of {@code task} that the kernel signalled and no one reported yet. */
    void check(TaskRef task) {
        OomWatch watch = watches.get(task);
        if (watch != null) {
            poll(task, watch);
        }
    }

    /** Stops watching {@code task} and closes its watch; a no-op when it is not watched. */
    void stop(TaskRef task) {
        OomWatch watch = watches.remove(task);
        if (watch != null) {
            synchronized (watch) {
                watch.close();
            }
        }
    }

    /** How many tasks are watched. */
    int size() {
        return watches.size();
    }

    private void serve() {
        try {
            while (!closed) {
                OomWatch.awaitAny(watches.values(), PERIOD);
                watches.forEach(this::poll);
            }
        } catch (InterruptedException e) {
            // closed
        } catch (RuntimeException e) {
            warnings.accept("out-of-memory watches stopped: " + e);
        }
    }

    private void poll(TaskRef task, OomWatch watch) {
        synchronized (watch) {
            try {
                OomWatch.Event e = watch.await(Duration.ZERO);
                if (e == OomWatch.Event.OOM) {
                    onOom.accept(task);
                } else if (e == OomWatch.Event.CGROUP_REMOVED) {
                    watches.remove(task, watch);
                    watch.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                warnings.accept("cannot watch task " + task + " for out-of-memory events: " + e.getMessage());
                watches.remove(task, watch);
                watch.close();
            }
        }
    }

    /** Stops the thread and closes every watch. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        watches.keySet().forEach(this::stop);
    }
}
