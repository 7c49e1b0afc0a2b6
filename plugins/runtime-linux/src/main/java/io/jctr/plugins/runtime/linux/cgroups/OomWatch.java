package io.jctr.plugins.runtime.linux.cgroups;

import java.time.Duration;
import java.util.Collection;

/**
 * A subscription to the kernel's out-of-memory notifications of one container's cgroup (v1:
 * an eventfd registered on {@code memory.oom_control}; v2: the {@code oom_kill} counter of
 * {@code memory.events}). One thread calls {@link #await}; {@link #close} may come from any
 * thread and makes a pending {@code await} return {@link Event#CLOSED} within 100 ms.
 */
public interface OomWatch extends AutoCloseable {

    /** What {@link #await} saw. */
    enum Event {
        /** The cgroup hit its memory limit (v1) or the OOM killer killed a task in it (v2). */
        OOM,
        /** Nothing happened within the timeout. */
        TIMEOUT,
        /** The cgroup was removed; no more events will come. */
        CGROUP_REMOVED,
        /** The watch was closed. */
        CLOSED
    }

    /**
     * Blocks until an OOM, the cgroup's removal, {@link #close} or {@code timeout}; looks at
     * least once, so {@code await(Duration.ZERO)} checks without blocking.
     */
    Event await(Duration timeout) throws InterruptedException;

    /**
     * Blocks up to {@code timeout} or until one of {@code watches} may have an event to
     * {@link #await}: the one wait of a thread that serves many watches, after which it checks
     * each with {@code await(Duration.ZERO)}. v1 watches wake it at once (one poll(2) over their
     * eventfds); v2 watches are not waited on (their counter is read by {@code await}), so with
     * those it waits the whole timeout.
     */
    static void awaitAny(Collection<? extends OomWatch> watches, Duration timeout) throws InterruptedException {
        EventFdOomWatch.awaitAny(watches, timeout.toMillis());
    }

    /** Releases the watch; idempotent. */
    @Override
    void close();
}
