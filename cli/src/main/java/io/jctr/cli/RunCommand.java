package io.jctr.cli;

import io.jctr.api.services.containers.v1.Container;
import io.jctr.api.services.run.v1.CreateContainerRequest;
import io.jctr.api.services.run.v1.CreateContainerResponse;
import io.jctr.api.services.tasks.v1.DeleteTaskRequest;
import io.jctr.api.services.tasks.v1.StartRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jctr run}: pulls the image if missing, has the daemon create the container (Run
 * service), then drives the task over containerd's Tasks API as {@code ctr run} does: FIFOs (or
 * a log file when detached), Create, Start, Wait, Delete; signals forwarded as Kill, the
 * terminal in raw mode with its size sent as ResizePty. Exits with the container's exit code.
 */
@Command(name = "run", description = "Run a container from an image (pulled if missing)")
class RunCommand implements Callable<Integer>, TakesCommandLine {

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptionsMixin options;

    @Option(names = "--rm", description = "remove the container and its snapshot when the task exits")
    boolean rm;

    @Option(names = {"-d", "--detach"}, description = "start the task and return; its output goes to a log ('jctr logs ID')")
    boolean detach;

    @Option(names = {"-t", "--tty"}, description = "give the process a terminal")
    boolean tty;

    @Option(names = {"-i", "--interactive"}, description = "pass stdin to the process")
    boolean interactive;

    @Option(names = "--snapshotter", paramLabel = "NAME", defaultValue = "${env:JCTR_SNAPSHOTTER:-}",
            description = "snapshotter for the container's root (default: the daemon's)")
    String snapshotter;

    @Option(names = "--runtime", paramLabel = "NAME", description = "runtime name (default: io.containerd.runc.v2)")
    String runtime = "";

    @Option(names = "--fifo-dir", paramLabel = "DIR", description = "where stdio FIFOs are made (default: " + TaskStdio.DEFAULT_FIFO_DIR + ")")
    Path fifoDir = Path.of(TaskStdio.DEFAULT_FIFO_DIR);

    @Parameters(index = "0", paramLabel = "IMAGE", description = "e.g. busybox, host:5000/repo:tag")
    String image;

    @Parameters(index = "1", paramLabel = "ID", description = "the container id")
    String id;

    @Parameters(index = "2..*", paramLabel = "CMD", description = "command and arguments (default: the image's)")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (rm && detach) {
            throw new CliException("--rm and --detach cannot be used together");
        }
        CreateContainerRequest request = CreateContainerRequest.newBuilder().setImage(image).setContainerId(id)
                .setSnapshotter(snapshotter).setRuntime(runtime).setOptions(options.toProto(command, tty, interactive)).build();
        try (ApiClient api = ApiClient.connect(spec)) {
            CreateContainerResponse created = ContainerCreation.create(api, request, options.pull == RunOptionsMixin.Pull.missing, System.err);
            Container container = created.getContainer();
            try (TaskStdio stdio = detach ? TaskStdio.log(created.getLogUri(), tty) : TaskStdio.fifos(fifoDir, id, tty, interactive)) {
                stdio.start(System.in, System.out, System.err);
                try {
                    TaskCalls.createTask(api, container, stdio);
                } catch (RuntimeException e) {
                    if (rm) {
                        removeQuietly(api);
                    }
                    throw e;
                }
                AttachedProcess process = new AttachedProcess(api, id, "", tty);
                stdio.created(process.closeStdin());
                if (detach) {
                    TaskCalls.tasks(api).start(StartRequest.newBuilder().setContainerId(id).build());
                    return 0;
                }
                int status = process.run(stdio, true);
                TaskCalls.tasks(api).delete(DeleteTaskRequest.newBuilder().setContainerId(id).build());
                if (rm) {
                    TaskCalls.removeContainer(api, id, false);
                }
                return status;
            }
        }
    }

    private void removeQuietly(ApiClient api) {
        try {
            TaskCalls.removeContainer(api, id, false);
        } catch (RuntimeException e) {
            System.err.println("jctr: cannot remove container " + id + ": " + ErrorReporter.message(e, (JctrCommand) spec.root().userObject()));
        }
    }
}
