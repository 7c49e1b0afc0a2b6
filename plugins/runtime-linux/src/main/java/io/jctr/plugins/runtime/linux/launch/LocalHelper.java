package io.jctr.plugins.runtime.linux.launch;

import java.io.IOException;

/** A helper that is a child of this JVM, reaped with {@code waitpid}. */
final class LocalHelper implements HelperProcess {

    private final Posix posix;
    private final int pid;

    LocalHelper(Posix posix, int pid) {
        this.posix = posix;
        this.pid = pid;
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int awaitExit() throws IOException, InterruptedException {
        // Polled rather than a blocking waitpid, so that the wait can be interrupted.
        long pause = 1;
        while (true) {
            int status = posix.waitpid(pid, true);
            if (status != -1) {
                return status;
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 50);
        }
    }

    @Override
    public int poll() throws IOException {
        return posix.waitpid(pid, true);
    }

    @Override
    public void kill(int signal) {
        posix.libc.kill(pid, signal);
    }
}
