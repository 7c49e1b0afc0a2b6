package io.jctr.cli;

import io.grpc.StatusRuntimeException;
import io.jctr.api.services.tasks.v1.CloseIORequest;
import io.jctr.api.services.tasks.v1.KillRequest;
import io.jctr.api.services.tasks.v1.ResizePtyRequest;
import io.jctr.api.services.tasks.v1.StartRequest;
import io.jctr.api.services.tasks.v1.WaitRequest;
import java.util.List;

/**
 * A task process this client is attached to (run, tasks start/exec/attach): started or not,
 * waited for in the foreground while signals go to it as Kill (or, with a terminal in raw mode,
 * SIGWINCH as ResizePty), its output copied until the daemon closes the FIFOs.
 *
 * @param execId empty for the task's init process
 */
record AttachedProcess(ApiClient api, String containerId, String execId, boolean tty) {

    /** The CloseIO to send when the client's stdin ends after the process exists. */
    Runnable closeStdin() {
        return () -> quietly(() -> TaskCalls.tasks(api).closeIO(CloseIORequest.newBuilder().setContainerId(containerId).setExecId(execId)
                .setStdin(true).build()));
    }

    /** Starts the process (when {@code start}) and waits for it; returns its exit status. */
    int run(TaskStdio stdio, boolean start) throws InterruptedException {
        TerminalMode terminal = tty ? TerminalMode.raw() : null;
        try {
            if (tty) {
                SignalForwarding.install(List.of("WINCH"), s -> resize());
            } else {
                SignalForwarding.install(SignalForwarding.FORWARDED, this::kill);
            }
            if (start) {
                TaskCalls.tasks(api).start(StartRequest.newBuilder().setContainerId(containerId).setExecId(execId).build());
            }
            if (tty) {
                resize();
            }
            int status = TaskCalls.tasksUnbounded(api).wait(WaitRequest.newBuilder().setContainerId(containerId).setExecId(execId).build())
                    .getExitStatus();
            stdio.awaitOutput(10);
            return status;
        } finally {
            if (terminal != null) {
                terminal.restore();
            }
        }
    }

    private void resize() {
        int[] size = TerminalMode.size();
        if (size != null) {
            quietly(() -> TaskCalls.tasks(api).resizePty(ResizePtyRequest.newBuilder().setContainerId(containerId).setExecId(execId)
                    .setWidth(size[0]).setHeight(size[1]).build()));
        }
    }

    private void kill(int signal) {
        quietly(() -> TaskCalls.tasks(api).kill(KillRequest.newBuilder().setContainerId(containerId).setExecId(execId)
                .setSignal(signal).build()));
    }

    /** For calls racing the process's end: its task or process may be gone by the time they arrive. */
    private static void quietly(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            // the process ended meanwhile
        }
    }
}
