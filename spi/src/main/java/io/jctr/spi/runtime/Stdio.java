package io.jctr.spi.runtime;

/**
 * Where a process's standard streams go (containerd's {@code runtime.IO}). Each stream is one of:
 * <ul>
 *   <li>{@code ""}: not connected (stdin reads end-of-file, output is discarded);</li>
 *   <li>an absolute path of a FIFO or file the caller created, which the runtime opens — the form
 *       {@code ctr} uses;</li>
 *   <li>a URI as containerd's shims accept: {@code file:///path} (output appended to a log
 *       file) or {@code binary:///path?args} (output piped to a logging binary).</li>
 * </ul>
 * A runtime that does not support a form rejects it with {@code INVALID_ARGUMENT} at
 * {@link ContainerRuntime#create} or {@link ContainerRuntime#exec}.
 *
 * @param stdin    the stdin source, {@code ""} for none
 * @param stdout   the stdout destination, {@code ""} for none
 * @param stderr   the stderr destination, {@code ""} for none; unused with a terminal
 * @param terminal whether the process gets a pseudo-terminal; its output then all goes to
 *                 {@code stdout}
 */
public record Stdio(String stdin, String stdout, String stderr, boolean terminal) {

    /** Normalises {@code null} streams to {@code ""}. */
    public Stdio {
        stdin = stdin == null ? "" : stdin;
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    /** No streams connected and no terminal. */
    public static Stdio none() {
        return new Stdio("", "", "", false);
    }
}
