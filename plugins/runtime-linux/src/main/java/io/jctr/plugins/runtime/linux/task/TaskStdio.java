package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.launch.LaunchRequest;
import io.jctr.spi.JctrException;
import io.jctr.spi.runtime.Stdio;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's standard streams as the helper opens them, plus the FIFO ends this runtime holds.
 *
 * <p>Each FIFO is also opened here read-write, as containerd's shims do: the helper's own open
 * then never blocks for the other end, the process's writes never fail with {@code EPIPE}
 * while the client reconnects, and stdin reaches end-of-file only once {@link #closeStdin} (the
 * task API's {@code CloseIO}) or the process's exit releases the held end.
 *
 * <p>With a terminal the helper's own stdio is {@code /dev/null}: it sends the pty master to a
 * {@link ConsoleSocket}, and a {@link PtyRelay} copies between the master and the stdin and
 * stdout paths ({@code stderr} is unused, as in containerd).
 *
 * <p>Thread-safe.
 */
final class TaskStdio implements AutoCloseable {

    private static final Path DEV_NULL = Path.of("/dev/null");

    private final LaunchRequest.Stdio paths;
    private FileChannel stdinHold;
    private final List<FileChannel> outputHolds;
    /** With a terminal: the streams the relay copies, and the socket until the master arrives. */
    private final LaunchRequest.Stdio terminalStreams;
    private ConsoleSocket console;
    private PtyRelay relay;

    private TaskStdio(LaunchRequest.Stdio paths, FileChannel stdinHold, List<FileChannel> outputHolds,
            LaunchRequest.Stdio terminalStreams, ConsoleSocket console) {
        this.paths = paths;
        this.stdinHold = stdinHold;
        this.outputHolds = outputHolds;
        this.terminalStreams = terminalStreams;
        this.console = console;
    }

    /**
     * Checks {@code stdio} and opens its FIFOs.
     *
     * @param consoleSocket where to listen for the pty master when {@code stdio} asks for a
     *                      terminal; must not exist
     * @throws JctrException {@code INVALID_ARGUMENT} for a relative path, a {@code binary://} or
     *                       other URI, or a stdin that does not exist
     */
    static TaskStdio open(Stdio stdio, String owner, Path consoleSocket) throws IOException {
        Path in = path(stdio.stdin(), "stdin", owner, false);
        Path out = path(stdio.stdout(), "stdout", owner, true);
        Path err = stdio.terminal() ? DEV_NULL : path(stdio.stderr(), "stderr", owner, true);
        if (in != DEV_NULL && !Files.exists(in)) {
            throw JctrException.invalidArgument("%s: stdin %s does not exist", owner, in);
        }
        List<FileChannel> holds = new ArrayList<>();
        FileChannel inHold = null;
        try {
            inHold = holdIfFifo(in);
            for (Path p : new Path[] {out, err}) {
                FileChannel hold = holdIfFifo(p);
                if (hold != null) {
                    holds.add(hold);
                }
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(inHold);
            holds.forEach(TaskStdio::closeQuietly);
            throw e;
        }
        if (!stdio.terminal()) {
            return new TaskStdio(new LaunchRequest.Stdio(in, out, err), inHold, holds, null, null);
        }
        ConsoleSocket socket;
        try {
            socket = ConsoleSocket.listen(consoleSocket);
        } catch (IOException | RuntimeException e) {
            closeQuietly(inHold);
            holds.forEach(TaskStdio::closeQuietly);
            throw e;
        }
        return new TaskStdio(new LaunchRequest.Stdio(DEV_NULL, DEV_NULL, DEV_NULL), inHold, holds,
                new LaunchRequest.Stdio(in == DEV_NULL ? null : in, out == DEV_NULL ? null : out, null), socket);
    }

    /** The paths the helper opens. */
    LaunchRequest.Stdio paths() {
        return paths;
    }

    /** The console socket to launch with, {@code null} without a terminal. */
    Path consoleSocket() {
        return console == null ? null : console.path();
    }

    /** After the launch: receives the pty master and starts relaying. A no-op without a terminal. */
    synchronized void attachTerminal() throws IOException {
        if (console == null) {
            return;
        }
        try {
            int master = console.receive();
            relay = new PtyRelay(master, terminalStreams.in(), terminalStreams.out());
        } finally {
            console.close();
            console = null;
        }
    }

    /** Sets the terminal's size; a no-op without one. */
    synchronized void resize(int width, int height) throws IOException {
        if (relay != null) {
            relay.resize(width, height);
        }
    }

    /**
     * Releases the held stdin FIFO end, so the process (with a terminal: the relay, which then
     * types ^D) reads end-of-file once the client's end is closed too.
     */
    synchronized void closeStdin() {
        closeQuietly(stdinHold);
        stdinHold = null;
    }

    /** Stops relaying and releases every held end. */
    @Override
    public synchronized void close() {
        if (console != null) {
            console.close();
            console = null;
        }
        if (relay != null) {
            relay.close();
            relay = null;
        }
        closeStdin();
        outputHolds.forEach(TaskStdio::closeQuietly);
        outputHolds.clear();
    }

    private static Path path(String stream, String name, String owner, boolean output) {
        if (stream.isEmpty()) {
            return DEV_NULL;
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
        return Path.of(path);
    }

    private static FileChannel holdIfFifo(Path p) throws IOException {
        if (p == DEV_NULL || !Files.exists(p)) {
            return null;
        }
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isOther()) {
            return null;
        }
        // O_RDWR on a FIFO never blocks (Linux fifo(7)).
        return FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do: the descriptor is released either way
            }
        }
    }
}
