package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.shim.ShimStdio;
import io.jctr.spi.JctrException;
import io.jctr.spi.runtime.Stdio;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's standard streams as the task's shim takes them ({@link ShimStdio}): absolute
 * paths of FIFOs or files, {@code file://} URIs as the paths they name. {@code binary://}
 * loggers are refused: the shim would have to run and supervise the logging program, which it
 * does not (yet). With a terminal, {@code stderr} is unused, as in containerd.
 */
final class TaskStdio {

    private TaskStdio() {
    }

    /**
     * Checks {@code stdio} for the process {@code owner} names.
     *
     * @throws JctrException {@code INVALID_ARGUMENT} for a relative path, a {@code binary://} or
     *                       other URI, a {@code file://} stdin, or a stdin that does not exist
     */
    static ShimStdio check(Stdio stdio, String owner) {
        String in = path(stdio.stdin(), "stdin", owner, false);
        String out = path(stdio.stdout(), "stdout", owner, true);
        String err = stdio.terminal() ? "" : path(stdio.stderr(), "stderr", owner, true);
        if (!in.isEmpty() && !Files.exists(Path.of(in))) {
            throw JctrException.invalidArgument("%s: stdin %s does not exist", owner, in);
        }
        return new ShimStdio(in, out, err, stdio.terminal());
    }

    private static String path(String stream, String name, String owner, boolean output) {
        if (stream.isEmpty()) {
            return "";
        }
        String path = stream;
        if (stream.startsWith("file://")) {
            if (!output) {
                throw JctrException.invalidArgument("%s: %s %s: a file URI is only for output", owner, name, stream);
            }
            path = stream.substring("file://".length());
        } else if (stream.contains("://")) {
            throw JctrException.invalidArgument("%s: %s %s: unsupported stdio form, want a path or file://",
                    owner, name, stream);
        }
        if (!path.startsWith("/")) {
            throw JctrException.invalidArgument("%s: %s %s: path must be absolute", owner, name, stream);
        }
        return Path.of(path).normalize().toString();
    }
}
