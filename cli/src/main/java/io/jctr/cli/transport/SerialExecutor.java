package io.jctr.cli.transport;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a call's listener callbacks one at a time, in the order they were added, on the call's
 * executor. {@link #add} only queues, so a call can queue callbacks under its lock and
 * {@link #drain} them once it has let go.
 */
final class SerialExecutor implements Runnable {

    private final Executor executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialExecutor(Executor executor) {
        this.executor = executor;
    }

    void add(Runnable task) {
        tasks.add(task);
    }

    /** Hands the queued callbacks to the executor, unless a run already has them. */
    void drain() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                // a shut-down executor must not swallow the listener's onClose: run here instead
                run();
            }
        }
    }

    @Override
    public void run() {
        try {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // a listener's bug must not stop the callbacks after it, nor the thread
                    Thread t = Thread.currentThread();
                    t.getUncaughtExceptionHandler().uncaughtException(t, e);
                }
            }
        } finally {
            scheduled.set(false);
        }
        // a task added after the last poll but before the flag cleared
        drain();
    }
}
