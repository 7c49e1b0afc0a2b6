package io.jctr.plugins.runtime.linux.task;

import io.jctr.spi.runtime.ExitStatus;
import io.jctr.spi.runtime.Stdio;
import java.time.Instant;
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
    /** When its launch began: an exit the shim reports for its pid before that is another process's. */
    Instant launchedAt = Instant.EPOCH;
    /** For an exec: its program was launched. */
    boolean launched;
    /** Killed by delete before it ever started: reports 255 whatever the kernel says. */
    boolean neverStarted;
    /** Its exit was observed (or found recorded, or lost with the shim: 255). */
    ExitStatus exit;

    TaskProcess(String id, Stdio stdio, String processJson) {
        this.id = id;
        this.stdio = stdio;
        this.processJson = processJson;
    }

    boolean finished() {
        return exit != null;
    }

    TaskFiles.ProcessFile file() {
        return new TaskFiles.ProcessFile(id, pid, startTime, stdio.stdin(), stdio.stdout(), stdio.stderr(),
                stdio.terminal(), processJson, exit == null ? null : exit.code(),
                exit == null ? null : exit.exitedAt().toString(), launchedAt.toString());
    }
}
