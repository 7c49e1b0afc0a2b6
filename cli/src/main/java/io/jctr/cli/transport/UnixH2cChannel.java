package io.jctr.cli.transport;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC channel to a server on a unix domain socket, speaking HTTP/2 in cleartext with prior
 * knowledge (h2c) with nothing but the JDK and grpc-api: no Netty, no thread pool, no logging.
 * It exists so that a short-lived {@code jctr} command starts in milliseconds; the daemon
 * still serves with grpc-java's Netty server.
 *
 * <p>Generated stubs work unchanged, blocking and asynchronous, for unary and server-streaming
 * methods. A client-streaming or bidirectional call fails with {@code UNIMPLEMENTED}.
 *
 * <p>The connection opens with the first call and is shared by every call; after a GOAWAY or a
 * broken connection the next call opens a new one. A call that cannot connect fails with
 * {@code UNAVAILABLE} and a description starting with {@code "io exception"}, its cause the
 * {@link IOException}. Call options honoured: the deadline (sent as {@code grpc-timeout} and
 * enforced locally), the executor, and the message size limits (inbound defaults to 16 MiB,
 * containerd's limit); compression and call credentials are not supported. Listeners of calls
 * without an executor run on the connection's reader thread and must not block.
 *
 * <p>Threads: one daemon reader thread per connection, and one daemon timer thread once a call
 * has a deadline. {@link #close()} the channel before the JVM exits (see there).
 *
 * <p>Thread-safe: any number of threads may start calls concurrently.
 */
public final class UnixH2cChannel extends Channel implements AutoCloseable {

    /** Sent as {@code :authority}: grpc-java takes anything, while some servers reset a stream whose authority is a path. */
    private static final String AUTHORITY = "localhost";

    private final Path socket;

    // guarded by this
    /** Every connection not known dead; the last one takes new calls. */
    private final List<H2Connection> connections = new ArrayList<>();
    private Timer deadlines;
    private boolean closed;

    private UnixH2cChannel(Path socket) {
        this.socket = socket;
    }

    /**
     * A channel to the gRPC server listening on {@code socket}. Nothing is opened yet, so this
     * does not fail: the first call connects, and reports a failure to connect as its status.
     */
    public static UnixH2cChannel connect(Path socket) {
        return new UnixH2cChannel(socket);
    }

    @Override
    public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
        if (!method.getType().clientSendsOneMessage()) {
            return new FailedCall<>(Status.UNIMPLEMENTED.withDescription("client streaming is not supported by this transport"));
        }
        return new GrpcClientCall<>(this, method, options);
    }

    @Override
    public String authority() {
        return AUTHORITY;
    }

    /**
     * Closes the connections and stops the deadline timer. Calls in flight end with
     * {@code UNAVAILABLE} "channel closed", later calls fail the same way. Idempotent. Close the
     * channel before the JVM exits: returning only once the reader thread has left its blocking
     * socket read, it spares the exit HotSpot's wait of up to 300 ms for threads in native code.
     */
    @Override
    public void close() {
        List<H2Connection> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(connections);
            connections.clear();
            if (deadlines != null) {
                deadlines.cancel();
            }
        }
        for (H2Connection c : open) {
            c.shutdown(Status.UNAVAILABLE.withDescription("channel closed"));
        }
    }

    /** The connection new calls use, opened if there is none that takes streams. */
    synchronized H2Connection connection() throws StatusException {
        if (closed) {
            throw Status.UNAVAILABLE.withDescription("channel closed").asException();
        }
        H2Connection current = connections.isEmpty() ? null : connections.get(connections.size() - 1);
        if (current != null && current.acceptsStreams()) {
            return current;
        }
        // a connection that went away finishes its calls alone; a dead one is forgotten
        connections.removeIf(c -> !c.isAlive());
        try {
            current = H2Connection.open(socket);
        } catch (IOException e) {
            throw Status.UNAVAILABLE.withDescription("io exception connecting to unix:" + socket).withCause(e).asException();
        }
        connections.add(current);
        return current;
    }

    /** Runs {@code task} after {@code delayNanos} on the channel's timer thread, started on first use. */
    synchronized TimerTask schedule(Runnable task, long delayNanos) {
        if (closed) {
            // the call fails with "channel closed" when it tries to connect
            return null;
        }
        if (deadlines == null) {
            deadlines = new Timer("jctr-grpc-deadlines", true);
        }
        TimerTask timerTask = new TimerTask() {
            @Override
            public void run() {
                task.run();
            }
        };
        deadlines.schedule(timerTask, TimeUnit.NANOSECONDS.toMillis(delayNanos + 999_999));
        return timerTask;
    }
}
