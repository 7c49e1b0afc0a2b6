package io.jctr.cli;

import io.jctr.api.types.task.Process;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jctr tasks attach}: back to a running task's stdio and wait for it, as {@code ctr
 * tasks attach}: its FIFOs (the paths Tasks.Get reports) are opened again; a detached task's
 * {@code file://} log is followed instead. Exits with the task's exit code.
 */
@Command(name = "attach", description = "Attach to a running task's output (and input) and wait for it")
class TasksAttachCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws Exception {
        try (ApiClient api = ApiClient.connect(spec)) {
            Process p = TaskCalls.task(api, id).orElseThrow(() -> new CliException("task " + id + ": not found"));
            AttachedProcess process = new AttachedProcess(api, id, "", p.getTerminal());
            if (p.getStdout().startsWith("file://")) {
                Path log = Path.of(p.getStdout().substring("file://".length()));
                AtomicBoolean ended = new AtomicBoolean();
                Thread follower = new Thread(() -> LogsCommand.follow(log, System.out, ended::get), "jctr-log");
                follower.setDaemon(true);
                follower.start();
                int status = process.run(TaskStdio.log(p.getStdout()), false);
                ended.set(true); // the follower reads what is left, then ends
                follower.join(10_000);
                return status;
            }
            TaskStdio stdio = TaskStdio.existing(existing(p.getStdin()), existing(p.getStdout()), existing(p.getStderr()), p.getTerminal());
            stdio.start(System.in, System.out, System.err);
            stdio.created(process.closeStdin());
            return process.run(stdio, false);
        }
    }

    private String existing(String fifo) throws IOException {
        if (fifo.isEmpty()) {
            return "";
        }
        if (!Files.exists(Path.of(fifo))) {
            throw new IOException("task " + id + ": its stdio " + fifo + " is gone (its client removed it); nothing to attach to");
        }
        return fifo;
    }
}
