package io.jctr.plugins.runtime.linux.cgroups;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * cgroup v2 OOM notification: the {@code oom_kill} counter of {@code memory.events}, read every
 * {@value #POLL_MILLIS} ms; an increase is an OOM. Thread-safe.
 */
final class MemoryEventsOomWatch implements OomWatch {

    static final int POLL_MILLIS = 50;

    private final Path dir;
    private long seen;
    private volatile boolean closed;

    MemoryEventsOomWatch(Path dir) {
        this.dir = dir;
        this.seen = oomKills();
    }

    @Override
    public Event await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed) {
            if (!Files.isDirectory(dir)) {
                return Event.CGROUP_REMOVED;
            }
            long now = oomKills();
            if (now > seen) {
                seen = now;
                return Event.OOM;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Event.TIMEOUT;
            }
            Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
        }
        return Event.CLOSED;
    }

    private long oomKills() {
        try {
            return StatFiles.keyValues(dir, "memory.events").getOrDefault("oom_kill", 0L);
        } catch (RuntimeException e) {
            return seen; // removed between the check and the read
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
