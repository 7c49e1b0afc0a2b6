package io.jctr.plugins.runtime.linux.runc.server;

import io.jctr.plugins.runtime.linux.launch.HelperProcess;
import io.jctr.plugins.runtime.linux.launch.HelperStarter;
import io.jctr.plugins.runtime.linux.launch.LaunchRequest;
import io.jctr.plugins.runtime.linux.unix.UnixSockets;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One client connection (the protocol is described in {@code runc_client.c}): the request —
 * the command line, environment, working directory and the client's stdio descriptors — then
 * the server's messages, some of which the client answers. The client is also the
 * {@link HelperStarter} for the command's launches: it forks each helper. Used by the
 * connection's thread only.
 */
final class ClientSession implements HelperStarter, Closeable {

    private static final byte SPAWN = 'S';
    private static final byte SPAWNED = 'P';
    private static final byte SPAWN_FAILED = 'F';
    private static final byte WAIT = 'W';
    private static final byte POLL = 'N';
    private static final byte STATUS = 'T';
    private static final byte KILL = 'K';
    private static final byte EXIT = 'X';
    private static final byte REFUSE = 'R';

    private static final byte[] MAGIC = "JCR1".getBytes(StandardCharsets.US_ASCII);
    /** Command line, environment and directory: far more than execve(2) itself accepts. */
    private static final int MAX_REQUEST = 8 << 20;
    private static final int MAX_REPLY = 64 << 10;

    private final int conn;
    private int[] stdio = new int[0];

    /** A command line as the client sent it. */
    record Request(List<String> argv, Map<String, String> environment, Path cwd, int[] stdio) {
    }

    ClientSession(int conn) {
        this.conn = conn;
    }

    /** Reads the request; {@code null} when the client hung up first. */
    Request readRequest() throws IOException {
        UnixSockets.Received head = UnixSockets.receive(conn, 8);
        if (head == null) {
            return null;
        }
        stdio = head.fds();
        ByteBuffer h = ByteBuffer.wrap(head.bytes());
        byte[] magic = new byte[4];
        h.get(magic);
        int length = h.getInt();
        if (!java.util.Arrays.equals(magic, MAGIC) || length < 0 || length > MAX_REQUEST) {
            throw new IOException("malformed request header");
        }
        if (stdio.length != 3) {
            throw new IOException("a request carries 3 descriptors, not " + stdio.length);
        }
        ByteBuffer body = ByteBuffer.wrap(UnixSockets.readFully(conn, length));
        List<String> argv = strings(body);
        Map<String, String> env = new HashMap<>();
        for (String kv : strings(body)) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.putIfAbsent(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        String cwd = string(body);
        if (body.hasRemaining() || !cwd.startsWith("/")) {
            throw new IOException("malformed request body");
        }
        return new Request(argv, env, Path.of(cwd), stdio.clone());
    }

    private static List<String> strings(ByteBuffer b) throws IOException {
        int n = b.getInt();
        if (n < 0 || n > b.remaining() / 4) {
            throw new IOException("malformed request body");
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(string(b));
        }
        return out;
    }

    private static String string(ByteBuffer b) throws IOException {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IOException("malformed request body");
        }
        String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
        return s;
    }

    /** Tells the client to run the command itself, in a one-shot JVM. */
    void refuse(String reason) throws IOException {
        send(REFUSE, reason.getBytes(StandardCharsets.UTF_8), -1);
    }

    /** Ends the command: the client exits with {@code code}. */
    void exit(int code) throws IOException {
        send(EXIT, i32(code), -1);
    }

    @Override
    public HelperProcess start(String executable, int channelFd, LaunchRequest request) throws IOException {
        LaunchRequest.Stdio s = request.stdio();
        if (s.in() != null || s.out() != null || s.err() != null) {
            throw new IOException("a jctr-runc client's helpers inherit its stdio; paths are not supported");
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        byte[] path = executable.getBytes(StandardCharsets.UTF_8);
        d.writeInt(request.preserveFds());
        d.writeInt(path.length);
        d.write(path);
        send(SPAWN, b.toByteArray(), channelFd);
        Reply r = reply();
        if (r.kind == SPAWNED && r.payload.length == 4) {
            return new RemoteHelper(this, ByteBuffer.wrap(r.payload).getInt());
        }
        if (r.kind == SPAWN_FAILED) {
            throw new IOException("spawn the helper: " + new String(r.payload, StandardCharsets.UTF_8));
        }
        throw new IOException("unexpected reply '" + (char) r.kind + "' from the client");
    }

    /** The helper's wait status, waiting for it when {@code block}; -1 while it runs. */
    int helperStatus(boolean block) throws IOException {
        send(block ? WAIT : POLL, new byte[0], -1);
        Reply r = reply();
        if (r.kind != STATUS || r.payload.length != 4) {
            throw new IOException("unexpected reply '" + (char) r.kind + "' from the client");
        }
        return ByteBuffer.wrap(r.payload).getInt();
    }

    void killHelper(int signal) throws IOException {
        send(KILL, i32(signal), -1);
    }

    private record Reply(byte kind, byte[] payload) {
    }

    private Reply reply() throws IOException {
        ByteBuffer head = ByteBuffer.wrap(UnixSockets.readFully(conn, 5));
        byte kind = head.get();
        int n = head.getInt();
        if (n < 0 || n > MAX_REPLY) {
            throw new IOException("malformed reply from the client");
        }
        return new Reply(kind, UnixSockets.readFully(conn, n));
    }

    private void send(byte kind, byte[] payload, int fd) throws IOException {
        byte[] m = ByteBuffer.allocate(5 + payload.length).put(kind).putInt(payload.length).put(payload).array();
        UnixSockets.send(conn, m, fd);
    }

    private static byte[] i32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    /** Closes the client's descriptors and the connection. */
    @Override
    public void close() {
        for (int fd : stdio) {
            UnixSockets.close(fd);
        }
        stdio = new int[0];
        UnixSockets.close(conn);
    }
}
