package io.jctr.plugins.runtime.linux.task;

import io.jctr.plugins.runtime.linux.unix.UnixSockets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * runc's {@code --console-socket} receiving end: a listening unix socket to which the helper
 * connects and sends the pty master of a process with a terminal ({@code SCM_RIGHTS}, message
 * {@code /dev/ptmx}). The helper sends before its launch returns, into the listen backlog, so
 * {@link #receive} runs afterwards on the same thread.
 */
final class ConsoleSocket implements AutoCloseable {

    private static final int RECEIVE_TIMEOUT_MILLIS = 10_000;

    private final Path path;
    private int fd;

    private ConsoleSocket(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Listens at {@code path} (which must not exist). */
    static ConsoleSocket listen(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        return new ConsoleSocket(path, UnixSockets.listen(path, 1));
    }

    Path path() {
        return path;
    }

    /** Accepts the helper's connection and returns the pty master it sent (close-on-exec). */
    int receive() throws IOException {
        if (!UnixSockets.awaitReadable(fd, RECEIVE_TIMEOUT_MILLIS)) {
            throw new IOException("no terminal arrived on console socket " + path);
        }
        int conn = UnixSockets.accept(fd);
        try {
            // The descriptor rides on the first byte of the message ("/dev/ptmx").
            UnixSockets.Received m = UnixSockets.receive(conn, 1);
            if (m == null || m.fds().length == 0) {
                throw new IOException("the console socket received no descriptor");
            }
            for (int i = 1; i < m.fds().length; i++) {
                UnixSockets.close(m.fds()[i]);
            }
            return m.fds()[0];
        } finally {
            UnixSockets.close(conn);
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            UnixSockets.close(fd);
            fd = -1;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a stale socket file is harmless: the next one gets another name
        }
    }
}
