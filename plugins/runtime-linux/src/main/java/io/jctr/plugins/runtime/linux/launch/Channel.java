package io.jctr.plugins.runtime.linux.launch;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The runtime's end of the socketpair to one helper (the protocol is described in the
 * helper's {@code launch.c}): messages of kind, u32 length, bytes to the helper; text lines
 * from it. Both ends are close-on-exec in this JVM, so no other child inherits them. Not
 * thread-safe.
 */
final class Channel implements Closeable {

    static final byte STATE = 'S';
    static final byte CONTINUE = 'C';
    static final byte ABORT = 'A';

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int EPIPE = 32;

    private final Posix posix;
    private final int fd;
    private int helperEnd;
    private final byte[] buf = new byte[4096];
    private int start;
    private int end;

    private Channel(Posix posix, int fd, int helperEnd) {
        this.posix = posix;
        this.fd = fd;
        this.helperEnd = helperEnd;
    }

    static Channel open(Posix posix) throws IOException {
        int[] fds = new int[2];
        if (posix.libc.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0) {
            throw posix.failure("socketpair");
        }
        return new Channel(posix, fds[0], fds[1]);
    }

    /** The helper's end, until {@link #closeHelperEnd}. */
    int helperEnd() {
        return helperEnd;
    }

    void closeHelperEnd() {
        posix.close(helperEnd);
        helperEnd = -1;
    }

    /** Sends raw bytes; {@code false} when the helper has gone. */
    boolean send(byte[] bytes) throws IOException {
        int off = 0;
        while (off < bytes.length) {
            byte[] rest = off == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, off, bytes.length);
            long n = posix.libc.send(fd, rest, rest.length, MSG_NOSIGNAL);
            if (n < 0) {
                int e = posix.errno();
                if (e == Posix.EINTR) {
                    continue;
                }
                if (e == EPIPE) {
                    return false;
                }
                throw posix.failure("send to the helper", e);
            }
            off += (int) n;
        }
        return true;
    }

    /** Sends one message; {@code false} when the helper has gone. */
    boolean send(byte kind, byte[] body) throws IOException {
        byte[] m = new byte[5 + body.length];
        m[0] = kind;
        int n = body.length;
        m[1] = (byte) (n >>> 24);
        m[2] = (byte) (n >>> 16);
        m[3] = (byte) (n >>> 8);
        m[4] = (byte) n;
        System.arraycopy(body, 0, m, 5, n);
        return send(m);
    }

    /** The next line without its newline, or {@code null} at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            for (int i = start; i < end; i++) {
                if (buf[i] == '\n') {
                    line.write(buf, start, i - start);
                    start = i + 1;
                    return line.toString(StandardCharsets.UTF_8);
                }
            }
            line.write(buf, start, end - start);
            start = 0;
            end = 0;
            long n = posix.libc.read(fd, buf, buf.length);
            if (n < 0 && posix.errno() == Posix.EINTR) {
                continue;
            }
            if (n < 0) {
                throw posix.failure("read from the helper");
            }
            if (n == 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            end = (int) n;
        }
    }

    @Override
    public void close() {
        posix.close(fd);
        closeHelperEnd();
    }
}
