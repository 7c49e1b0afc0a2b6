package io.jctr.plugins.runtime.linux.runc;

import io.jctr.plugins.runtime.linux.container.Caller;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Who runs a command line: its standard streams, its working directory (relative paths in
 * flags are relative to it) and the {@link Caller} the containers work for. In a one-shot JVM
 * that is the JVM itself; in the {@code jctr-runc} server it is the connected client.
 *
 * @param in     standard input
 * @param out    standard output
 * @param err    standard error
 * @param cwd    the absolute working directory
 * @param proc   the invoker's own directory in {@code /proc}: paths naming "this process"
 *               ({@code /dev/fd/N}, {@code /dev/stdin}, {@code /proc/self/...}, as a shell's
 *               process substitution {@code -p <(...)} makes) mean the invoker's
 * @param caller the process the containers are managed for
 */
public record Invoker(InputStream in, PrintStream out, PrintStream err, Path cwd, Path proc, Caller caller) {

    private static final Path SELF = Path.of("/proc/self");

    /** This JVM. */
    public static Invoker self() {
        return new Invoker(System.in, System.out, System.err, Path.of("").toAbsolutePath(), SELF, Caller.SELF);
    }

    /**
     * {@code path} resolved against the working directory ({@code ""} is the directory itself),
     * with the invoker's own descriptors and {@code /proc/self} where it names them.
     */
    public Path path(String path) {
        if (!proc.equals(SELF)) {
            if (path.startsWith("/dev/fd/")) {
                return proc.resolve("fd").resolve(path.substring("/dev/fd/".length()));
            }
            switch (path) {
                case "/dev/stdin":
                    return proc.resolve("fd/0");
                case "/dev/stdout":
                    return proc.resolve("fd/1");
                case "/dev/stderr":
                    return proc.resolve("fd/2");
                default:
                    break;
            }
            if (path.startsWith("/proc/self/")) {
                return proc.resolve(path.substring("/proc/self/".length()));
            }
        }
        return cwd.resolve(path);
    }
}
