package io.jctr.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jctr.api.cgroups.v1.Metrics;
import io.jctr.api.services.containers.v1.Container;
import io.jctr.api.services.tasks.v1.DeleteResponse;
import io.jctr.api.services.tasks.v1.DeleteTaskRequest;
import io.jctr.api.services.tasks.v1.KillRequest;
import io.jctr.api.services.tasks.v1.ListPidsRequest;
import io.jctr.api.services.tasks.v1.ListTasksRequest;
import io.jctr.api.services.tasks.v1.MetricsRequest;
import io.jctr.api.services.tasks.v1.PauseTaskRequest;
import io.jctr.api.services.tasks.v1.ResumeTaskRequest;
import io.jctr.api.services.tasks.v1.StartRequest;
import io.jctr.api.services.tasks.v1.WaitRequest;
import io.jctr.api.types.Metric;
import io.jctr.api.types.task.Process;
import io.jctr.api.types.task.ProcessInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jctr tasks ls|ps|start|kill|pause|resume|metrics|rm|exec|attach}, as {@code ctr tasks}. */
@Command(name = "tasks", aliases = {"task", "t"}, description = "Manage tasks (a container's running processes)",
        subcommands = {TasksCommand.Ls.class, TasksCommand.Ps.class, TasksCommand.Start.class, TasksCommand.Kill.class,
                TasksCommand.Pause.class, TasksCommand.Resume.class, TasksCommand.MetricsCmd.class, TasksCommand.Rm.class,
                TasksExecCommand.class, TasksAttachCommand.class})
class TasksCommand {

    static String status(Process p) {
        return p.getStatus().name();
    }

    @Command(name = "ls", aliases = "list", description = "List tasks: id, pid, status")
    static class Ls implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        OutputFormat output;

        @Option(names = {"-q", "--quiet"}, description = "print only the ids")
        boolean quiet;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                List<Process> all = TaskCalls.tasks(api).list(ListTasksRequest.getDefaultInstance()).getTasksList();
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    List<Object> rows = new ArrayList<>();
                    for (Process p : all) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("id", p.getId());
                        m.put("pid", p.getPid());
                        m.put("status", status(p));
                        m.put("exit_status", p.getExitStatus());
                        rows.add(m);
                    }
                    out.println(JsonWriter.write(rows));
                    out.flush();
                } else if (quiet) {
                    all.forEach(p -> out.println(p.getId()));
                    out.flush();
                } else {
                    Table t = new Table("TASK", "PID", "STATUS");
                    all.forEach(p -> t.row(p.getId(), p.getPid(), status(p)));
                    t.print(out);
                }
            }
        }
    }

    @Command(name = "ps", description = "List the processes of a task")
    static class Ps implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        OutputFormat output;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                List<ProcessInfo> all = TaskCalls.tasks(api).listPids(ListPidsRequest.newBuilder().setContainerId(id).build()).getProcessesList();
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    out.println(JsonWriter.write(all.stream().map(p -> (Object) Map.of("pid", p.getPid())).toList()));
                    out.flush();
                } else {
                    Table t = new Table("PID", "INFO");
                    all.forEach(p -> t.row(p.getPid(), p.hasInfo() ? p.getInfo().getTypeUrl() : "-"));
                    t.print(out);
                }
            }
        }
    }

    @Command(name = "start", description = "Start a container's task: attached (exits with its code), or -d with its output to the log")
    static class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-d", "--detach"}, description = "return at once; output goes to the container's log ('jctr logs ID')")
        boolean detach;

        @Option(names = {"-t", "--tty"}, description = "give the process a terminal")
        boolean tty;

        @Option(names = {"-i", "--interactive"}, description = "pass stdin to the process")
        boolean interactive;

        @Option(names = "--fifo-dir", paramLabel = "DIR", description = "where stdio FIFOs are made")
        Path fifoDir = Path.of(TaskStdio.DEFAULT_FIFO_DIR);

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            try (ApiClient api = ApiClient.connect(spec)) {
                Container c = TaskCalls.container(api, id);
                if (TaskCalls.task(api, id).isPresent()) {
                    TaskCalls.tasks(api).start(StartRequest.newBuilder().setContainerId(id).build());
                    return 0;
                }
                String log = c.getLabelsOrDefault(LogsCommand.LOG_URI_LABEL, "");
                if (detach && log.isEmpty()) {
                    throw new CliException("container " + id + " has no log (not created by jctr run): start it attached");
                }
                try (TaskStdio stdio = detach ? TaskStdio.log(log, tty) : TaskStdio.fifos(fifoDir, id, tty, interactive)) {
                    stdio.start(System.in, System.out, System.err);
                    TaskCalls.createTask(api, c, stdio);
                    AttachedProcess p = new AttachedProcess(api, id, "", tty);
                    stdio.created(p.closeStdin());
                    if (detach) {
                        TaskCalls.tasks(api).start(StartRequest.newBuilder().setContainerId(id).build());
                        return 0;
                    }
                    int status = p.run(stdio, true);
                    TaskCalls.tasks(api).delete(DeleteTaskRequest.newBuilder().setContainerId(id).build());
                    return status;
                }
            }
        }
    }

    @Command(name = "kill", description = "Send a signal to a task (default: the image's stop signal, else SIGTERM)")
    static class Kill implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", description = "e.g. SIGKILL, KILL or 9")
        String signal;

        @Option(names = "--all", description = "signal every process of the task (ctr's -a; -a is the global --address here)")
        boolean all;

        @Option(names = "--exec-id", paramLabel = "ID", description = "signal this exec'd process")
        String execId = "";

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                int number;
                if (signal != null) {
                    number = SignalNames.parse(signal, "--signal");
                } else {
                    String label = TaskCalls.container(api, id).getLabelsOrDefault("io.containerd.image.config.stop-signal", "SIGTERM");
                    number = SignalNames.parse(label, "the container's stop signal");
                }
                TaskCalls.tasks(api).kill(KillRequest.newBuilder().setContainerId(id).setExecId(execId).setSignal(number).setAll(all).build());
            }
        }
    }

    @Command(name = "pause", description = "Freeze a task's processes")
    static class Pause implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                TaskCalls.tasks(api).pause(PauseTaskRequest.newBuilder().setContainerId(id).build());
            }
        }
    }

    @Command(name = "resume", description = "Thaw a paused task")
    static class Resume implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                TaskCalls.tasks(api).resume(ResumeTaskRequest.newBuilder().setContainerId(id).build());
            }
        }
    }

    @Command(name = "metrics", aliases = "metric", description = "Show a task's cgroup statistics")
    static class MetricsCmd implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        OutputFormat output;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                List<Metric> all = TaskCalls.tasks(api).metrics(MetricsRequest.newBuilder().addFilters("id==" + id).build()).getMetricsList();
                if (all.isEmpty()) {
                    throw new CliException("task " + id + ": the daemon sent no metrics");
                }
                Metric m = all.get(0);
                if (!m.getData().getTypeUrl().equals("io.containerd.cgroups.v1.Metrics")) {
                    throw new CliException("task " + id + ": metrics of type " + m.getData().getTypeUrl() + " cannot be shown");
                }
                Metrics data;
                try {
                    data = Metrics.parseFrom(m.getData().getValue());
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new CliException("task " + id + ": malformed metrics: " + e.getMessage());
                }
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    out.println(JsonWriter.write(ProtoJson.toMap(data)));
                    out.flush();
                    return;
                }
                Table t = new Table("METRIC", "VALUE");
                t.row("memory.usage_in_bytes", data.getMemory().getUsage().getUsage());
                t.row("memory.limit_in_bytes", data.getMemory().getUsage().getLimit());
                t.row("memory.stat.cache", data.getMemory().getTotalCache());
                t.row("cpuacct.usage", data.getCpu().getUsage().getTotal());
                t.row("cpuacct.usage_percpu", data.getCpu().getUsage().getPerCpuList());
                t.row("pids.current", data.getPids().getCurrent());
                t.row("pids.limit", data.getPids().getLimit());
                t.print(out);
            }
        }
    }

    @Command(name = "rm", aliases = {"remove", "delete", "del"}, description = "Delete stopped tasks (-f kills a running one first)")
    static class Rm implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = {"-f", "--force"}, description = "kill the task (SIGKILL to all its processes) first")
        boolean force;

        @Parameters(arity = "1..*", paramLabel = "ID")
        List<String> ids;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                for (String id : ids) {
                    Process p = TaskCalls.task(api, id).orElseThrow(() -> new CliException("task " + id + ": not found"));
                    if (p.getStatus() != io.jctr.api.types.task.Status.STOPPED && p.getStatus() != io.jctr.api.types.task.Status.CREATED) {
                        if (!force) {
                            throw new CliException("task " + id + " is " + status(p).toLowerCase(Locale.ROOT)
                                    + ": stop it first (jctr tasks kill " + id + "), or use --force");
                        }
                        try {
                            TaskCalls.tasks(api).kill(KillRequest.newBuilder().setContainerId(id).setSignal(9).setAll(true).build());
                        } catch (StatusRuntimeException e) {
                            if (e.getStatus().getCode() != Status.Code.NOT_FOUND && e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
                                throw e;
                            }
                        }
                        TaskCalls.tasksUnbounded(api).wait(WaitRequest.newBuilder().setContainerId(id).build());
                    }
                    DeleteResponse d = TaskCalls.tasks(api).delete(DeleteTaskRequest.newBuilder().setContainerId(id).build());
                    if (d.getExitStatus() != 0) {
                        System.err.println("jctr: task " + id + " exited with code " + d.getExitStatus());
                    }
                }
            }
        }
    }
}
