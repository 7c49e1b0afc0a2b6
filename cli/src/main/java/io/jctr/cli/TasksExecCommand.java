package io.jctr.cli;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.jctr.api.services.containers.v1.Container;
import io.jctr.api.services.tasks.v1.DeleteProcessRequest;
import io.jctr.api.services.tasks.v1.ExecProcessRequest;
import io.jctr.api.services.tasks.v1.StartRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jctr tasks exec}: a further process in a running task, as {@code ctr tasks exec}: the
 * container spec's process with these args (and terminal, cwd, env), sent as a
 * {@code runtime-spec/1/Process} Any with FIFOs named by the exec id; started, waited for and
 * deleted. Exits with the process's exit code; {@code -d} returns once it started.
 */
@Command(name = "exec", description = "Run a further process in a running task")
class TasksExecCommand implements Callable<Integer>, TakesCommandLine {

    static final String PROCESS_TYPE_URL = "types.containerd.io/opencontainers/runtime-spec/1/Process";

    @Spec
    CommandSpec spec;

    @Option(names = "--exec-id", paramLabel = "ID", description = "the process's id, unique in the task (default: generated)")
    String execId;

    @Option(names = {"-t", "--tty"}, description = "give the process a terminal")
    boolean tty;

    @Option(names = {"-i", "--interactive"}, description = "pass stdin to the process")
    boolean interactive;

    @Option(names = {"-d", "--detach"}, description = "return once the process started (its output is discarded)")
    boolean detach;

    @Option(names = "--cwd", paramLabel = "DIR", description = "working directory (default: the container's)")
    String cwd;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "add an environment variable (repeatable)")
    List<String> env = new ArrayList<>();

    @Option(names = "--fifo-dir", paramLabel = "DIR", description = "where stdio FIFOs are made")
    Path fifoDir = Path.of(TaskStdio.DEFAULT_FIFO_DIR);

    @Parameters(index = "0", paramLabel = "ID", description = "the container id")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "command and arguments")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        String exec = execId == null || execId.isEmpty() ? "exec-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) : execId;
        try (ApiClient api = ApiClient.connect(spec)) {
            Container c = TaskCalls.container(api, id);
            byte[] process = processJson(c, command, tty, cwd, env);
            try (TaskStdio stdio = detach ? TaskStdio.log("") : TaskStdio.fifos(fifoDir, exec, tty, interactive)) {
                stdio.start(System.in, System.out, System.err);
                TaskCalls.tasks(api).exec(ExecProcessRequest.newBuilder().setContainerId(id).setExecId(exec)
                        .setStdin(stdio.stdin).setStdout(stdio.stdout).setStderr(stdio.stderr).setTerminal(tty)
                        .setSpec(Any.newBuilder().setTypeUrl(PROCESS_TYPE_URL).setValue(ByteString.copyFrom(process))).build());
                AttachedProcess p = new AttachedProcess(api, id, exec, tty);
                stdio.created(p.closeStdin());
                if (detach) {
                    TaskCalls.tasks(api).start(StartRequest.newBuilder().setContainerId(id).setExecId(exec).build());
                    return 0;
                }
                int status = p.run(stdio, true);
                TaskCalls.tasks(api).deleteProcess(DeleteProcessRequest.newBuilder().setContainerId(id).setExecId(exec).build());
                return status;
            }
        }
    }

    /** The container's process with {@code args}, terminal, cwd and added env: the exec's process spec. */
    @SuppressWarnings("unchecked")
    static byte[] processJson(Container c, List<String> args, boolean tty, String cwd, List<String> env) {
        if (!c.hasSpec()) {
            throw new CliException("container " + c.getId() + " has no spec");
        }
        Map<String, Object> spec = JsonReader.object(JsonReader.parse(c.getSpec().getValue().toString(StandardCharsets.UTF_8)));
        Object p = spec.get("process");
        Map<String, Object> process = p instanceof Map<?, ?> ? new LinkedHashMap<>((Map<String, Object>) p) : new LinkedHashMap<>();
        process.put("args", new ArrayList<>(args));
        process.put("terminal", tty);
        if (cwd != null && !cwd.isEmpty()) {
            process.put("cwd", cwd);
        }
        if (!env.isEmpty()) {
            List<Object> all = process.get("env") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
            all.addAll(env);
            process.put("env", all);
        }
        return JsonWriter.write(process).getBytes(StandardCharsets.UTF_8);
    }
}
