package io.jctr.plugins.runtime.linux.runc.server;

import io.jctr.plugins.runtime.linux.unix.UnixSockets;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Streams over a client's descriptors. The JDK cannot wrap a raw descriptor number, and
 * reopening {@code /proc/self/fd/N} would give a new file offset (overwriting what the caller's
 * shell already wrote to a file) and fails for sockets, so reads and writes go to the very
 * descriptor the client passed.
 */
final class FdStreams {

    private FdStreams() {
    }

    static OutputStream output(int fd) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                UnixSockets.write(fd, b, off, len);
            }
        };
    }

    /** UTF-8 text to {@code fd}, buffered, flushed at each line (runc's output is line-oriented). */
    static PrintStream printStream(int fd) {
        return new PrintStream(new BufferedOutputStream(output(fd)), true, StandardCharsets.UTF_8);
    }

    static InputStream input(int fd) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : UnixSockets.read(fd, b, off, len);
            }
        };
    }
}
