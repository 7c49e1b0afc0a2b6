package io.jctr.plugins.runtime.linux.cgroups;

import java.time.Duration;

/**
 * Calls back on every OOM of a cgroup from a daemon thread of its own, until closed or the
 * cgroup is removed: the push form of {@link OomWatch} for {@code events}. Thread-safe.
 */
public final class OomListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OomListener.class.getName());

    private final OomWatch watch;
    private final Thread thread;

    private OomListener(OomWatch watch, Runnable onOom, String name) {
        this.watch = watch;
        this.thread = new Thread(() -> loop(onOom), "oom-listener-" + name);
        thread.setDaemon(true);
    }

    /** Starts listening on {@code cgroup}; {@code onOom} runs on the listener's thread. */
    public static OomListener start(ContainerCgroup cgroup, Runnable onOom) {
        OomListener l = new OomListener(cgroup.watchOom(), onOom,
                cgroup.paths().values().iterator().next().getFileName().toString());
        l.thread.start();
        return l;
    }

    private void loop(Runnable onOom) {
        try {
            while (true) {
                OomWatch.Event e = watch.await(Duration.ofSeconds(1));
                if (e == OomWatch.Event.OOM) {
                    onOom.run();
                } else if (e != OomWatch.Event.TIMEOUT) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "OOM listener stopped", e);
        } finally {
            watch.close();
        }
    }

    /** Whether it still listens (false once the cgroup is gone). */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops listening and waits for the thread to end. */
    @Override
    public void close() {
        watch.close();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
