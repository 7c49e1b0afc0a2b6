package io.jctr.plugins.runtime.linux.task;

import io.jctr.spi.runtime.ExitStatus;
import io.jctr.spi.runtime.Stdio;
import java.util.concurrent.CompletableFuture;

/**
 * One process of a task as the runtime tracks it: init or an exec. Mutable; guarded by the
 * owning {@link Task}'s monitor, except the future, which is thread-safe.
 */
final class TaskProcess {

    final String id;
    final Stdio stdio;
    /** An exec's OCI process object; {@code null} for init. */
    final String processJson;
    final CompletableFuture<ExitStatus> exited = new CompletableFuture<>();

    int pid;
    long startTime;
    /** Open stdio FIFO ends; {@code null} once released (or for a re-attached process). */
    TaskStdio held;
    /** For an exec: its program was launched. */
    boolean launched;
    /** Killed by delete before it ever started: reports 255 whatever the kernel says. */
    boolean neverStarted;
    /** Its exit was observed (or found recorded). */
    ExitStatus exit;
    /** It died while nobody watched and no exit status was recorded. */
    boolean lost;

    TaskProcess(String id, Stdio stdio, String processJson) {
        this.id = id;
        this.stdio = stdio;
        this.processJson = processJson;
    }

    boolean finished() {
        return exit != null || lost;
    }

    TaskFiles.ProcessFile file() {
        return new TaskFiles.ProcessFile(id, pid, startTime, stdio.stdin(), stdio.stdout(), stdio.stderr(),
                processJson, exit == null ? null : exit.code(),
                exit == null ? null : exit.exitedAt().toString());
    }

    void release() {
        if (held != null) {
            held.close();
            held = null;
        }
    }
}
