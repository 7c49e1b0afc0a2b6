package io.jctr.cli.transport;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.TimerTask;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A unary or server-streaming gRPC call on one HTTP/2 stream. The request (headers and its one
 * message) leaves at {@link #halfClose()}; responses are split into messages as the listener
 * {@link #request requests} them, and the listener hears {@code onHeaders}, {@code onMessage}
 * and exactly one {@code onClose}, in that order, on the call options' executor (or, without
 * one, on whichever thread produced the event — usually the connection's reader thread).
 *
 * <p>Thread-safety: every method may be called from any thread. State lives under {@code lock};
 * callbacks are queued under it and run after it is released ({@link #settle()}).
 */
final class GrpcClientCall<Q, R> extends ClientCall<Q, R> implements StreamHandler {

    /** containerd's message size limit, used when the call options set none. */
    static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 16 << 20;

    private final UnixH2cChannel channel;
    private final MethodDescriptor<Q, R> method;
    private final CallOptions options;
    private final SerialExecutor callbacks;
    private final Object lock = new Object();

    // guarded by lock
    private final MessageDeframer deframer;
    private Listener<R> listener;
    private List<Header> requestHeaders;
    private long timeoutNanos = -1;
    private TimerTask deadlineTimer;
    private ByteArrayOutputStream outbound = new ByteArrayOutputStream();
    private boolean halfClosed;
    private H2Stream stream;
    private boolean responseStarted;
    private int demand;
    /** The server's status and trailers, held back until the messages before them are delivered. */
    private Status endStatus;
    private Metadata endTrailers;
    private boolean closed;
    private Status closedBeforeStart;
    private int windowToReturn;
    private boolean resetStream;

    /** Touched only by callbacks, which run one at a time. */
    private boolean listenerClosed;

    GrpcClientCall(UnixH2cChannel channel, MethodDescriptor<Q, R> method, CallOptions options) {
        this.channel = channel;
        this.method = method;
        this.options = options;
        Executor executor = options.getExecutor();
        this.callbacks = new SerialExecutor(executor != null ? executor : Runnable::run);
        Integer maxInbound = options.getMaxInboundMessageSize();
        this.deframer = new MessageDeframer(maxInbound != null ? maxInbound : DEFAULT_MAX_INBOUND_MESSAGE_SIZE);
    }

    @Override
    public void start(Listener<R> responseListener, Metadata headers) {
        Objects.requireNonNull(responseListener, "responseListener");
        Objects.requireNonNull(headers, "headers");
        synchronized (lock) {
            if (listener != null) {
                throw new IllegalStateException("call already started");
            }
            listener = responseListener;
            if (closed) {
                Status status = closedBeforeStart;
                callbacks.add(() -> deliverClose(status, new Metadata()));
            } else {
                Deadline deadline = options.getDeadline();
                if (deadline != null) {
                    timeoutNanos = deadline.timeRemaining(TimeUnit.NANOSECONDS);
                }
                if (deadline != null && timeoutNanos <= 0) {
                    closeLocked(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the call started"), new Metadata());
                } else {
                    requestHeaders = RequestHeaders.of(method.getFullMethodName(), channel.authority(), headers, timeoutNanos);
                    if (deadline != null) {
                        deadlineTimer = channel.schedule(this::deadlineExceeded, timeoutNanos);
                    }
                }
            }
        }
        settle();
    }

    @Override
    public void request(int numMessages) {
        if (numMessages < 0) {
            throw new IllegalArgumentException("numMessages must not be negative: " + numMessages);
        }
        synchronized (lock) {
            if (listener == null) {
                throw new IllegalStateException("call not started");
            }
            demand = (int) Math.min((long) demand + numMessages, Integer.MAX_VALUE);
            pumpLocked();
        }
        settle();
    }

    @Override
    public void cancel(String message, Throwable cause) {
        Status status = Status.CANCELLED.withDescription(message != null ? message : "call cancelled").withCause(cause);
        endWith(status);
    }

    @Override
    public void sendMessage(Q message) {
        synchronized (lock) {
            if (listener == null || halfClosed) {
                throw new IllegalStateException(listener == null ? "call not started" : "call already half-closed");
            }
            if (closed) {
                return;
            }
        }
        byte[] bytes;
        try (InputStream in = method.streamRequest(message)) {
            bytes = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            endWith(Status.CANCELLED.withDescription("failed to serialize the request message").withCause(e));
            return;
        }
        Integer max = options.getMaxOutboundMessageSize();
        if (max != null && bytes.length > max) {
            endWith(Status.RESOURCE_EXHAUSTED.withDescription("request message of " + bytes.length + " bytes exceeds the limit of " + max + " bytes"));
            return;
        }
        synchronized (lock) {
            if (!closed) {
                outbound.write(0);
                outbound.write(bytes.length >>> 24);
                outbound.write(bytes.length >>> 16);
                outbound.write(bytes.length >>> 8);
                outbound.write(bytes.length);
                outbound.writeBytes(bytes);
            }
        }
    }

    @Override
    public void halfClose() {
        byte[] data;
        synchronized (lock) {
            if (listener == null || halfClosed) {
                throw new IllegalStateException(listener == null ? "call not started" : "call already half-closed");
            }
            halfClosed = true;
            if (closed) {
                return;
            }
            data = outbound.toByteArray();
            outbound = null;
        }
        H2Stream s;
        try {
            s = new H2Stream(channel.connection(), this);
        } catch (StatusException e) {
            endWith(e.getStatus());
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            stream = s;
        }
        s.connection.start(s, requestHeaders, data);
    }

    @Override
    public void headersReceived(List<Header> headers, boolean endStream) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (!responseStarted && endStream) {
                // trailers-only: how a call fails before any message, e.g. NOT_FOUND
                closeLocked(ResponseHeaders.status(headers, true), ResponseHeaders.metadata(headers));
            } else if (!responseStarted) {
                Status invalid = ResponseHeaders.check(headers);
                if (invalid != null) {
                    closeLocked(invalid, ResponseHeaders.metadata(headers));
                } else {
                    responseStarted = true;
                    Metadata metadata = ResponseHeaders.metadata(headers);
                    callbacks.add(() -> deliverHeaders(metadata));
                }
            } else if (!endStream) {
                closeLocked(Status.INTERNAL.withDescription("second HEADERS without END_STREAM in the response"), new Metadata());
            } else {
                endStatus = ResponseHeaders.status(headers, false);
                endTrailers = ResponseHeaders.metadata(headers);
                pumpLocked();
            }
        }
        settle();
    }

    @Override
    public void dataReceived(byte[] data, boolean endStream) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (!responseStarted) {
                closeLocked(Status.INTERNAL.withDescription("DATA before the response headers"), new Metadata());
            } else if (endStream) {
                closeLocked(Status.INTERNAL.withDescription("the server ended the response without trailers"), new Metadata());
            } else {
                deframer.add(data);
                pumpLocked();
            }
        }
        settle();
    }

    @Override
    public void streamClosed(Status status) {
        Deadline deadline = options.getDeadline();
        if (status.getCode() == Status.Code.CANCELLED && deadline != null && deadline.isExpired()) {
            // the server enforces grpc-timeout too, and its RST_STREAM may beat the local timer
            endWith(Status.DEADLINE_EXCEEDED.withDescription("the server cancelled the call at its deadline").withCause(status.asException()));
        } else {
            endWith(status);
        }
    }

    private void deadlineExceeded() {
        String after = BigDecimal.valueOf(timeoutNanos / 1_000_000, 3).toPlainString();
        endWith(Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after " + after + "s"));
    }

    private void endWith(Status status) {
        synchronized (lock) {
            closeLocked(status, new Metadata());
        }
        settle();
    }

    /**
     * Delivers the messages the listener asked for, then the server's status once all are out,
     * as grpc-java does: messages received before an error status still reach the listener.
     */
    private void pumpLocked() {
        if (closed) {
            return;
        }
        try {
            while (demand > 0) {
                byte[] message = deframer.next();
                if (message == null) {
                    break;
                }
                demand--;
                callbacks.add(() -> deliverMessage(message));
            }
        } catch (StatusException e) {
            closeLocked(e.getStatus(), new Metadata());
            return;
        } finally {
            windowToReturn += deframer.takeConsumed();
        }
        if (endStatus != null) {
            if (deframer.isEmpty()) {
                closeLocked(endStatus, endTrailers);
            } else if (demand > 0) {
                // the loop above stopped on an incomplete message, and no more DATA can come
                closeLocked(endStatus.isOk() ? Status.INTERNAL.withDescription("the server ended the response inside a message") : endStatus, endTrailers);
            }
        }
    }

    private void closeLocked(Status status, Metadata trailers) {
        if (!endLocked()) {
            return;
        }
        if (listener == null) {
            closedBeforeStart = status;
        } else {
            callbacks.add(() -> deliverClose(status, trailers));
        }
    }

    /** Moves to closed; false if it already was. */
    private boolean endLocked() {
        if (closed) {
            return false;
        }
        closed = true;
        resetStream = true;
        deframer.clear();
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
        }
        return true;
    }

    /** Outside the lock: returns window, resets the stream if the call ended, runs callbacks. */
    private void settle() {
        H2Stream s;
        int window;
        boolean reset;
        synchronized (lock) {
            s = stream;
            window = windowToReturn;
            windowToReturn = 0;
            reset = resetStream && s != null;
            resetStream &= !reset;
        }
        if (reset) {
            s.cancel();
        } else if (s != null && window > 0) {
            s.consumed(window);
        }
        callbacks.drain();
    }

    private void deliverHeaders(Metadata headers) {
        if (listenerClosed) {
            return;
        }
        try {
            listener.onHeaders(headers);
        } catch (RuntimeException e) {
            abort(Status.CANCELLED.withDescription("the listener failed on the response headers").withCause(e));
        }
    }

    private void deliverMessage(byte[] message) {
        if (listenerClosed) {
            return;
        }
        R value;
        try {
            value = method.parseResponse(new ByteArrayInputStream(message));
        } catch (RuntimeException e) {
            abort(Status.INTERNAL.withDescription("failed to parse the response of " + method.getFullMethodName()).withCause(e));
            return;
        }
        try {
            listener.onMessage(value);
        } catch (RuntimeException e) {
            abort(Status.CANCELLED.withDescription("the listener failed on a response message").withCause(e));
        }
    }

    private void deliverClose(Status status, Metadata trailers) {
        if (!listenerClosed) {
            listenerClosed = true;
            listener.onClose(status, trailers);
        }
    }

    /** Ends the call from a callback: closes the listener now, ahead of anything still queued. */
    private void abort(Status status) {
        synchronized (lock) {
            endLocked();
        }
        deliverClose(status, new Metadata());
        settle();
    }
}
