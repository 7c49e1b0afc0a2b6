package io.jctr.plugins.runtime.linux.runc;

import io.jctr.plugins.runtime.linux.container.CreateOptions;
import io.jctr.plugins.runtime.linux.launch.Launched;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code create} and {@code run}. {@code run} is create + start, and in the foreground it waits
 * for the container and exits with its exit code, then deletes it unless {@code --keep}.
 */
final class CreateCommand extends RuncCommand {

    private final boolean run;

    CreateCommand(boolean run) {
        super(1, 1);
        this.run = run;
    }

    @Override
    FlagSet flags() {
        FlagSet f = new FlagSet().value("bundle", "b").value("console-socket").value("pid-file")
                .bool("no-pivot").bool("no-new-keyring").value("preserve-fds");
        if (run) {
            f.bool("detach", "d").bool("keep").bool("no-subreaper");
        }
        return f;
    }

    @Override
    int run(Invocation call) throws IOException {
        FlagSet.Parsed f = call.flags();
        boolean detach = !run || f.has("detach");
        if (run && detach && f.has("keep")) {
            throw JctrException.invalidArgument("--detach and --keep cannot both be set");
        }
        String console = f.get("console-socket", "");
        CreateOptions options = new CreateOptions(call.id(), call.path(f.get("bundle", "")),
                f.given("pid-file") ? call.path(f.get("pid-file", "")) : null,
                console.isEmpty() ? null : call.path(console),
                f.has("no-pivot"), preserveFds(f), !detach, call.global().has("systemd-cgroup"));
        Launched launched = call.containers().create(options);
        if (!run) {
            return 0;
        }
        try {
            call.containers().start(call.id());
        } catch (IOException | RuntimeException e) {
            call.containers().delete(call.id(), true);
            throw e;
        }
        if (detach) {
            return 0;
        }
        int code;
        try {
            code = launched.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for container " + call.id(), e);
        }
        if (!f.has("keep")) {
            call.containers().delete(call.id(), true);
        }
        return code;
    }

    static int preserveFds(FlagSet.Parsed f) {
        String v = f.get("preserve-fds", "0");
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw JctrException.invalidArgument("invalid value \"%s\" for flag -preserve-fds", v);
        }
    }
}
