package io.jctr.plugins.runtime.linux.shim;

import io.jctr.plugins.runtime.linux.launch.HelperProcess;
import io.jctr.plugins.runtime.linux.launch.Syscalls;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** A helper the shim forked: its exit comes from the shim's reports. Thread-safe. */
final class ShimHelper implements HelperProcess {

    private final int pid;
    private final CompletableFuture<ShimExit> exit;

    ShimHelper(ShimClient shim, int pid, Instant spawnedAfter) {
        this.pid = pid;
        this.exit = shim.exitOf(pid, spawnedAfter);
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int awaitExit() throws IOException, InterruptedException {
        try {
            return exit.get().status();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    @Override
    public int poll() throws IOException {
        if (exit.isCompletedExceptionally()) {
            return awaitQuietly();
        }
        return exit.isDone() ? exit.join().status() : -1;
    }

    private int awaitQuietly() throws IOException {
        try {
            return awaitExit();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void kill(int signal) throws IOException {
        // Still the shim's unreaped child while no exit was reported: the pid is the helper's.
        if (!exit.isDone()) {
            Syscalls.kill(pid, signal);
        }
    }
}
