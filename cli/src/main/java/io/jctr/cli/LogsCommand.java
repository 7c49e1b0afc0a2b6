package io.jctr.cli;

import io.jctr.api.services.containers.v1.Container;
import io.jctr.api.services.tasks.v1.WaitRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jctr logs [-f] ID}: the output of a container run detached ({@code jctr run -d}),
 * which the daemon writes to the {@code file://} log named by the container's
 * {@code io.jctr.run/log-uri} label. The file is on the daemon's host, which is this client's
 * (the socket is a local unix socket); {@code -f} follows it until the task exits.
 */
@Command(name = "logs", description = "Print the output of a container run with -d (-f: follow until it exits)")
class LogsCommand implements Runnable {

    static final String LOG_URI_LABEL = "io.jctr.run/log-uri";

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--follow"}, description = "keep printing new output until the task exits")
    boolean follow;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    public void run() {
        try (ApiClient api = ApiClient.connect(spec)) {
            Container c = TaskCalls.container(api, id);
            String uri = c.getLabelsOrDefault(LOG_URI_LABEL, "");
            if (!uri.startsWith("file://")) {
                throw new CliException("container " + id + " has no log: only containers made by 'jctr run' keep one");
            }
            Path log = Path.of(uri.substring("file://".length()));
            if (!follow) {
                copy(log, System.out);
                return;
            }
            AtomicBoolean ended = new AtomicBoolean(TaskCalls.task(api, id).isEmpty());
            if (!ended.get()) {
                Thread waiter = new Thread(() -> {
                    try {
                        TaskCalls.tasksUnbounded(api).wait(WaitRequest.newBuilder().setContainerId(id).build());
                    } catch (RuntimeException e) {
                        // gone: stop following
                    }
                    ended.set(true);
                }, "jctr-wait");
                waiter.setDaemon(true);
                waiter.start();
            }
            follow(log, System.out, ended::get);
        }
    }

    private static void copy(Path log, PrintStream out) {
        try (InputStream in = Files.newInputStream(log)) {
            in.transferTo(out);
            out.flush();
        } catch (NoSuchFileException e) {
            // nothing written yet
        } catch (IOException e) {
            throw new CliException("cannot read the log " + log + ": " + e.getMessage());
        }
    }

    /** Prints {@code log} as it grows until {@code ended} (then what was left), polling: a file says nothing when it grows. */
    static void follow(Path log, OutputStream out, BooleanSupplier ended) {
        long offset = 0;
        byte[] buf = new byte[64 * 1024];
        while (true) {
            boolean last = ended.getAsBoolean();
            try (var ch = Files.newByteChannel(log)) {
                ch.position(offset);
                int n;
                while ((n = ch.read(java.nio.ByteBuffer.wrap(buf))) > 0) {
                    out.write(buf, 0, n);
                    offset += n;
                }
                out.flush();
            } catch (NoSuchFileException e) {
                // not created yet
            } catch (IOException e) {
                throw new CliException("cannot read the log " + log + ": " + e.getMessage());
            }
            if (last) {
                return;
            }
            try {
                Thread.sleep(100); // like tail -f: a log file signals nothing when it grows
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
