package io.jctr.plugins.runtime.linux.runc;

import io.jctr.plugins.runtime.linux.checkpoint.Checkpoints;
import io.jctr.plugins.runtime.linux.checkpoint.Criu;
import io.jctr.plugins.runtime.linux.checkpoint.CriuOptions;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code checkpoint [flags] ID}: runc 1.1's flags, through CRIU ({@link Checkpoints}). The
 * image path defaults to {@code ./checkpoint}, as runc's; the work path (CRIU's log) to the
 * image path, where runc uses a directory in its state that the checkpoint then deletes.
 */
final class CheckpointCommand extends RuncCommand {

    CheckpointCommand() {
        super(1, 1);
    }

    @Override
    FlagSet flags() {
        return new FlagSet().value("image-path").value("work-path").value("parent-path").bool("leave-running")
                .bool("tcp-established").bool("ext-unix-sk").bool("shell-job").bool("lazy-pages")
                .value("status-fd").value("page-server").bool("file-locks").bool("pre-dump")
                .value("manage-cgroups-mode").value("empty-ns").bool("auto-dedup");
    }

    @Override
    int run(Invocation call) throws IOException {
        FlagSet.Parsed f = call.flags();
        Path images = call.path(f.get("image-path", "").isEmpty() ? "checkpoint" : f.get("image-path", ""));
        String work = f.get("work-path", "");
        CriuOptions o = new CriuOptions(images, work.isEmpty() ? null : call.path(work), f.get("parent-path", ""),
                f.has("leave-running"), f.has("tcp-established"), f.has("ext-unix-sk"), f.has("shell-job"),
                f.has("file-locks"), f.has("pre-dump"), f.has("auto-dedup"), f.has("lazy-pages"),
                statusFd(f.get("status-fd", "-1")), f.get("page-server", ""), f.get("manage-cgroups-mode", ""),
                f.all("empty-ns"), "", "");
        Checkpoints.dump(call.containers(), call.id(), o, Criu.system());
        return 0;
    }

    private static int statusFd(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw JctrException.invalidArgument("invalid value \"%s\" for flag -status-fd", v);
        }
    }
}
