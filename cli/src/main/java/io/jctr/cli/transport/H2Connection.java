package io.jctr.cli.transport;

import io.grpc.Status;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One HTTP/2 client connection over a unix socket (RFC 7540, h2c with prior knowledge): the
 * streams, the flow-control windows, and the writes. A daemon thread reads and dispatches the
 * server's frames ({@link FrameDispatcher}); any thread may write.
 *
 * <p>Locks, always taken in this order: {@code writer} (frames leave one call at a time, and
 * stream ids are assigned in the order their HEADERS leave), then this object's monitor (windows,
 * settings, failure). Stream handlers are never called with either held.
 */
final class H2Connection {

    /**
     * The window this client grants, per stream and for the connection: large enough that a
     * 16 MiB message (containerd's limit) flows without waiting for a WINDOW_UPDATE.
     */
    static final int RECEIVE_WINDOW = 16 << 20;
    /** SETTINGS_HEADER_TABLE_SIZE, left at its default. */
    static final int HEADER_TABLE_SIZE = 4096;

    private final SocketChannel socket;
    private final FrameWriter writer;
    /** Set once, right after the constructor. */
    private Thread reader;
    private final Map<Integer, H2Stream> streams = new ConcurrentHashMap<>();

    /** Guarded by writer. */
    private int nextStreamId = 1;

    // guarded by this
    private long sendWindow = Http2Frames.DEFAULT_WINDOW;
    private int peerInitialWindow = Http2Frames.DEFAULT_WINDOW;
    private int peerMaxFrameSize = Http2Frames.DEFAULT_MAX_FRAME_SIZE;
    /** Set once the server sent GOAWAY: no new streams; what the remaining ones end with if the socket closes. */
    private Status goAway;
    /** Set once the connection is dead. */
    private Status failure;
    /**
     * Set once a write failed. The server may still have sent frames we have not read (a
     * response, then close), so the reader thread drains them and pronounces the connection dead
     * at end of input; meanwhile nothing more is sent.
     */
    private Status outputFailure;

    private H2Connection(SocketChannel socket) {
        this.socket = socket;
        this.writer = new FrameWriter(socket);
    }

    /** Connects, sends the preface and SETTINGS, and starts the reader thread. */
    static H2Connection open(Path path) throws IOException {
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            socket.connect(UnixDomainSocketAddress.of(path));
            H2Connection connection = new H2Connection(socket);
            synchronized (connection.writer) {
                connection.writer.preface();
                connection.writer.settings(
                        Http2Frames.SETTINGS_ENABLE_PUSH, 0,
                        Http2Frames.SETTINGS_INITIAL_WINDOW_SIZE, RECEIVE_WINDOW);
                connection.writer.windowUpdate(0, RECEIVE_WINDOW - Http2Frames.DEFAULT_WINDOW);
                connection.writer.flush();
            }
            FrameDispatcher dispatcher = new FrameDispatcher(connection, new FrameReader(socket, Http2Frames.DEFAULT_MAX_FRAME_SIZE));
            connection.reader = new Thread(dispatcher::run, "jctr-h2c-reader " + path);
            connection.reader.setDaemon(true);
            connection.reader.start();
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Whether the connection has not failed; after a GOAWAY it may still finish its streams. */
    synchronized boolean isAlive() {
        return failure == null;
    }

    /** Whether new streams may start here: neither failed nor told to go away. */
    synchronized boolean acceptsStreams() {
        return failure == null && goAway == null && outputFailure == null;
    }

    /**
     * Opens {@code stream} with {@code headers} and sends {@code data} with END_STREAM, waiting
     * for window when the server's flow control demands it. Failures reach the stream's handler.
     */
    void start(H2Stream stream, List<Header> headers, byte[] data) {
        byte[] block = HpackEncoder.encode(headers);
        Status refused;
        IOException error = null;
        int sent = 0;
        synchronized (writer) {
            if (stream.cancelled) {
                return;
            }
            refused = refusal();
            if (refused == null) {
                stream.id = nextStreamId;
                nextStreamId += 2;
                streams.put(stream.id, stream);
                int maxFrameSize;
                synchronized (this) {
                    stream.sendWindow = peerInitialWindow;
                    maxFrameSize = peerMaxFrameSize;
                }
                try {
                    writer.headers(stream.id, block, data.length == 0, maxFrameSize);
                    for (int n; sent < data.length && (n = tryTakeWindow(stream, data.length - sent)) > 0; sent += n) {
                        writer.data(stream.id, data, sent, n, sent + n == data.length);
                    }
                    writer.flush();
                } catch (IOException e) {
                    error = e;
                }
            }
        }
        if (refused != null) {
            stream.handler.streamClosed(refused);
        } else if (error != null) {
            outputFailed(error);
        } else {
            sendRest(stream, data, sent);
        }
    }

    /** What a new stream would meet, or null when it may start. Called holding writer. */
    private Status refusal() {
        synchronized (this) {
            if (failure != null || outputFailure != null) {
                return failure != null ? failure : outputFailure;
            }
            if (goAway != null) {
                return Status.UNAVAILABLE.withDescription("the server is shutting the connection down (GOAWAY)");
            }
        }
        // odd ids count up to 2^31 - 1, then the int overflows
        return nextStreamId < 0 ? Status.UNAVAILABLE.withDescription("stream ids exhausted on this connection") : null;
    }

    /** The part of a request that did not fit the windows at once: send it as window opens. */
    private void sendRest(H2Stream stream, byte[] data, int sent) {
        while (sent < data.length) {
            int n;
            try {
                n = awaitWindow(stream, data.length - sent);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reset(stream, Http2Error.CANCEL);
                stream.handler.streamClosed(Status.CANCELLED.withDescription("interrupted while waiting for the server's flow-control window"));
                return;
            }
            if (n < 0) {
                return;
            }
            IOException error = null;
            synchronized (writer) {
                if (streams.get(stream.id) != stream) {
                    return;
                }
                try {
                    writer.data(stream.id, data, sent, n, sent + n == data.length);
                    writer.flush();
                } catch (IOException e) {
                    error = e;
                }
            }
            if (error != null) {
                outputFailed(error);
                return;
            }
            sent += n;
        }
    }

    /**
     * Takes up to {@code wanted} octets of send window, at most one frame's worth: 0 when none is
     * open, -1 when the stream or the connection has ended.
     */
    private synchronized int tryTakeWindow(H2Stream stream, int wanted) {
        if (stream.closed || failure != null || outputFailure != null) {
            return -1;
        }
        long n = Math.min(Math.min(sendWindow, stream.sendWindow), Math.min(peerMaxFrameSize, wanted));
        if (n <= 0) {
            return 0;
        }
        sendWindow -= n;
        stream.sendWindow -= n;
        return (int) n;
    }

    /** Like {@link #tryTakeWindow}, but waits for a WINDOW_UPDATE instead of returning 0. */
    private synchronized int awaitWindow(H2Stream stream, int wanted) throws InterruptedException {
        int n;
        while ((n = tryTakeWindow(stream, wanted)) == 0) {
            wait();
        }
        return n;
    }

    /**
     * Sends RST_STREAM for an open stream and forgets it; false, doing nothing, once it has ended.
     * A stream whose HEADERS have not left yet is marked so that they never will.
     */
    boolean reset(H2Stream stream, Http2Error error) {
        IOException failed = null;
        synchronized (writer) {
            if (stream.id == 0) {
                stream.cancelled = true;
                return false;
            }
            if (!streams.remove(stream.id, stream)) {
                return false;
            }
            markClosed(stream);
            try {
                writer.rstStream(stream.id, error);
                writer.flush();
            } catch (IOException e) {
                failed = e;
            }
        }
        if (failed != null) {
            outputFailed(failed);
        }
        return true;
    }

    /** Returns stream window once half of it has been consumed. */
    void consumed(H2Stream stream, int bytes) {
        int increment;
        synchronized (stream) {
            stream.unconfirmed += bytes;
            if (stream.unconfirmed < RECEIVE_WINDOW / 2) {
                return;
            }
            increment = stream.unconfirmed;
            stream.unconfirmed = 0;
        }
        write(w -> {
            if (streams.get(stream.id) == stream) {
                w.windowUpdate(stream.id, increment);
            }
        });
    }

    /** Writes frames now: acks, WINDOW_UPDATE, GOAWAY. A failed write stops output (see {@link #outputFailure}). */
    void write(FrameAction action) {
        IOException failed = null;
        synchronized (writer) {
            try {
                action.writeTo(writer);
                writer.flush();
            } catch (IOException e) {
                failed = e;
            }
        }
        if (failed != null) {
            outputFailed(failed);
        }
    }

    H2Stream stream(int id) {
        return streams.get(id);
    }

    /** Forgets a stream the server ended; true if it was still open (and is now closed). */
    boolean remove(H2Stream stream) {
        if (!streams.remove(stream.id, stream)) {
            return false;
        }
        markClosed(stream);
        return true;
    }

    /** Streams above {@code lastStreamId}, which a GOAWAY says the server never processed. */
    List<H2Stream> goAway(int lastStreamId, Status status) {
        synchronized (this) {
            goAway = status;
        }
        List<H2Stream> abandoned = new ArrayList<>();
        for (H2Stream s : streams.values()) {
            if (s.id > lastStreamId && remove(s)) {
                abandoned.add(s);
            }
        }
        return abandoned;
    }

    /** Applies the server's SETTINGS_INITIAL_WINDOW_SIZE to every stream (RFC 7540 §6.9.2). */
    synchronized void peerInitialWindow(int size) {
        int delta = size - peerInitialWindow;
        peerInitialWindow = size;
        for (H2Stream s : streams.values()) {
            s.sendWindow += delta;
        }
        notifyAll();
    }

    synchronized void peerMaxFrameSize(int size) {
        peerMaxFrameSize = size;
    }

    /** Adds to the connection's send window (stream null) or a stream's; false on overflow. */
    synchronized boolean windowUpdate(H2Stream stream, int increment) {
        long window = (stream == null ? sendWindow : stream.sendWindow) + increment;
        if (window > Http2Frames.MAX_WINDOW) {
            return false;
        }
        if (stream == null) {
            sendWindow = window;
        } else {
            stream.sendWindow = window;
        }
        notifyAll();
        return true;
    }

    /**
     * The status streams still open end with when the server closes the connection: what its
     * GOAWAY said, else the write that failed, else null.
     */
    synchronized Status closedStatus() {
        return goAway != null ? goAway : outputFailure;
    }

    private synchronized void outputFailed(IOException e) {
        if (outputFailure == null) {
            outputFailure = ioStatus(e);
        }
        notifyAll();
    }

    /**
     * Closes the connection; open streams end with {@code status}. No GOAWAY: a writer blocked on
     * a full socket holds the writer, and the server reads end-of-stream as well. Returns once the
     * reader thread has left its socket read, because HotSpot's exit waits up to 300 ms for
     * threads blocked in native code, which a CLI must not pay.
     */
    void shutdown(Status status) {
        fail(status);
        if (Thread.currentThread() != reader) {
            try {
                reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Marks the connection dead, closes the socket and ends every open stream with {@code status}. */
    void fail(Status status) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = status;
            notifyAll();
        }
        try {
            socket.close();
        } catch (IOException e) {
            // the socket is gone either way
        }
        List<H2Stream> open = new ArrayList<>();
        // under writer: a stream start() registers either sees the failure or is seen here
        synchronized (writer) {
            for (H2Stream s : streams.values()) {
                if (remove(s)) {
                    open.add(s);
                }
            }
        }
        for (H2Stream s : open) {
            s.handler.streamClosed(status);
        }
    }

    private synchronized void markClosed(H2Stream stream) {
        stream.closed = true;
        notifyAll();
    }

    static Status ioStatus(IOException e) {
        return Status.UNAVAILABLE.withDescription("io exception").withCause(e);
    }

    /** Frames to write while holding the writer. */
    @FunctionalInterface
    interface FrameAction {
        void writeTo(FrameWriter writer) throws IOException;
    }
}
