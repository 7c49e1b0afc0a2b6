package io.jctr.plugins.runtime.linux.runc;

import io.jctr.plugins.runtime.linux.checkpoint.Checkpoints;
import io.jctr.plugins.runtime.linux.checkpoint.Criu;
import io.jctr.plugins.runtime.linux.checkpoint.CriuOptions;
import io.jctr.plugins.runtime.linux.container.CreateOptions;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code restore [flags] ID}: runc 1.1's flags, through CRIU ({@link Checkpoints}). Only
 * detached ({@code -d}): CRIU, not this command, is the restored init's parent, so there is no
 * exit status to wait for in the foreground.
 */
final class RestoreCommand extends RuncCommand {

    RestoreCommand() {
        super(1, 1);
    }

    @Override
    FlagSet flags() {
        return new FlagSet().value("console-socket").value("image-path").value("work-path").bool("tcp-established")
                .bool("ext-unix-sk").bool("shell-job").bool("file-locks").value("manage-cgroups-mode")
                .value("bundle", "b").bool("detach", "d").value("pid-file").bool("no-subreaper").bool("no-pivot")
                .value("empty-ns").bool("auto-dedup").bool("lazy-pages").value("lsm-profile")
                .value("lsm-mount-context");
    }

    @Override
    int run(Invocation call) throws IOException {
        FlagSet.Parsed f = call.flags();
        if (!f.has("detach")) {
            throw new JctrException(JctrException.Kind.NOT_IMPLEMENTED,
                    "restore in the foreground is not supported: use --detach");
        }
        Path images = call.path(f.get("image-path", "").isEmpty() ? "checkpoint" : f.get("image-path", ""));
        String work = f.get("work-path", "");
        CriuOptions o = new CriuOptions(images, work.isEmpty() ? null : call.path(work), "", false,
                f.has("tcp-established"), f.has("ext-unix-sk"), f.has("shell-job"), f.has("file-locks"), false,
                f.has("auto-dedup"), f.has("lazy-pages"), -1, "", f.get("manage-cgroups-mode", ""),
                f.all("empty-ns"), f.get("lsm-profile", ""), f.get("lsm-mount-context", ""));
        String console = f.get("console-socket", "");
        CreateOptions create = new CreateOptions(call.id(), call.path(f.get("bundle", "")),
                f.given("pid-file") ? call.path(f.get("pid-file", "")) : null,
                console.isEmpty() ? null : call.path(console), f.has("no-pivot"), 0, false,
                call.global().has("systemd-cgroup"));
        Checkpoints.restore(call.containers(), create, o, Criu.system());
        return 0;
    }
}
