package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import jnr.ffi.LibraryLoader;

/**
 * cgroup v1 OOM notification (cgroup-v1/memory.rst, "OOM Control"): an eventfd and an open
 * {@code memory.oom_control} registered through {@code cgroup.event_control}; the kernel
 * increments the eventfd on every OOM and once more when the cgroup is removed. Thread-safe.
 */
final class EventFdOomWatch implements OomWatch {

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    private static final int EFD_CLOEXEC = 02000000;
    private static final short POLLIN = 1;
    private static final int SLICE_MILLIS = 100;

    private static LibC libc;
    private static jnr.ffi.Runtime runtime;

    private final Path dir;
    private final int eventFd;
    private final int controlFd;
    private boolean closed;

    private EventFdOomWatch(Path dir, int eventFd, int controlFd) {
        this.dir = dir;
        this.eventFd = eventFd;
        this.controlFd = controlFd;
    }

    private static synchronized LibC libc() {
        if (libc == null) {
            libc = LibraryLoader.create(LibC.class).load("c");
            runtime = jnr.ffi.Runtime.getRuntime(libc);
        }
        return libc;
    }

    /** Registers a watch on the memory cgroup {@code dir}. */
    static EventFdOomWatch open(Path dir) {
        LibC c = libc();
        int efd = c.eventfd(0, EFD_CLOEXEC);
        if (efd < 0) {
            throw failure("eventfd", dir);
        }
        Path control = dir.resolve("memory.oom_control");
        int ofd = c.open(control.toString(), O_RDONLY | O_CLOEXEC);
        if (ofd < 0) {
            JctrException e = failure("open memory.oom_control", dir);
            c.close(efd);
            throw e;
        }
        String registration = efd + " " + ofd;
        try {
            CgroupFiles.writeRaw(dir.resolve("cgroup.event_control"), registration);
        } catch (IOException e) {
            c.close(ofd);
            c.close(efd);
            throw CgroupFiles.writeFailure(dir, "cgroup.event_control", registration, e);
        }
        return new EventFdOomWatch(dir, efd, ofd);
    }

    @Override
    public Event await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long left = deadline - System.nanoTime();
            // At least one look, without blocking once the time is up (await(Duration.ZERO) checks).
            int slice = left <= 0 ? 0 : (int) Math.min(SLICE_MILLIS, Math.max(1, left / 1_000_000));
            synchronized (this) {
                if (closed) {
                    return Event.CLOSED;
                }
                pollfd.clear();
                pollfd.putInt(0, eventFd).putShort(4, POLLIN).putShort(6, (short) 0);
                byte[] raw = pollfd.array();
                int n = libc.poll(raw, 1, slice);
                if (n <= 0) { // EINTR or nothing: poll again until the deadline
                    if (deadline - System.nanoTime() <= 0) {
                        return Event.TIMEOUT;
                    }
                    continue;
                }
                byte[] counter = new byte[8];
                libc.read(eventFd, counter, 8);
                // The kernel signals removal through the same eventfd.
                return Files.exists(dir.resolve("cgroup.event_control"))
                        ? Event.OOM : Event.CGROUP_REMOVED;
            }
        }
    }

    /**
     * Blocks up to {@code millis} until the eventfd of one of {@code watches} is readable (an OOM
     * or a removal to collect with {@code await}), so that one thread can wait on many cgroups.
     * Watches of other kinds are not waited on: with none of this kind it just sleeps. A watch
     * closed meanwhile at worst ends the wait early.
     */
    static void awaitAny(Collection<? extends OomWatch> watches, long millis) throws InterruptedException {
        List<Integer> fds = new ArrayList<>();
        for (OomWatch w : watches) {
            if (w instanceof EventFdOomWatch e) {
                synchronized (e) {
                    if (!e.closed) {
                        fds.add(e.eventFd);
                    }
                }
            }
        }
        if (fds.isEmpty()) {
            Thread.sleep(millis);
            return;
        }
        ByteBuffer pollfds = ByteBuffer.allocate(8 * fds.size()).order(ByteOrder.nativeOrder());
        for (int i = 0; i < fds.size(); i++) {
            pollfds.putInt(8 * i, fds.get(i)).putShort(8 * i + 4, POLLIN).putShort(8 * i + 6, (short) 0);
        }
        libc.poll(pollfds.array(), fds.size(), (int) millis);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            libc.close(controlFd);
            libc.close(eventFd);
        }
    }

    private static JctrException failure(String what, Path dir) {
        int errno = runtime.getLastError();
        String text = libc.strerror(errno);
        return new JctrException(JctrException.Kind.UNKNOWN, String.format(
                "cgroup: %s for the OOM watch of %s: %s", what, dir,
                text == null ? "errno " + errno : text));
    }
}
