package io.jctr.plugins.runtime.linux.shim;

/**
 * The streams a shim opens for a process it spawns: absolute paths of FIFOs or files
 * ({@code ""}: none, {@code /dev/null}). An output FIFO is given to the process with a read end
 * the shim holds; an output file is appended to; a stdin FIFO is relayed through a pipe until
 * CloseIO. With a terminal, the process's stdio is a pty whose master the shim receives on a
 * console socket and relays to {@code stdout} (from {@code stdin}); {@code stderr} is unused.
 *
 * @param stdin    where stdin comes from
 * @param stdout   where stdout goes
 * @param stderr   where stderr goes
 * @param terminal whether the process gets a terminal
 */
public record ShimStdio(String stdin, String stdout, String stderr, boolean terminal) {

    /** Nothing connected, no terminal. */
    public static final ShimStdio NONE = new ShimStdio("", "", "", false);
}
