package io.jctr.cli.transport;

import io.grpc.Status;
import io.jctr.cli.transport.Http2Frames.Frame;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The reader thread of an {@link H2Connection}: reads the server's frames, keeps the HPACK
 * decoder in step, answers SETTINGS and PING, returns connection window, and hands each
 * stream's frames to its handler. A protocol violation ends the connection with GOAWAY.
 */
final class FrameDispatcher {

    /** The largest header block accepted across CONTINUATION frames. */
    private static final int MAX_HEADER_BLOCK = 1 << 20;

    private final H2Connection connection;
    private final FrameReader reader;
    private final HpackDecoder decoder = new HpackDecoder(H2Connection.HEADER_TABLE_SIZE);

    /** DATA octets received since the last connection WINDOW_UPDATE. */
    private int unconfirmed;
    /** A header block awaiting CONTINUATION frames, or null. */
    private ByteArrayOutputStream continued;
    private int continuedStream;
    private boolean continuedEndStream;

    FrameDispatcher(H2Connection connection, FrameReader reader) {
        this.connection = connection;
        this.reader = reader;
    }

    void run() {
        Status status;
        try {
            while (true) {
                dispatch(reader.next());
            }
        } catch (Http2Exception e) {
            connection.write(w -> w.goAway(0, e.error()));
            status = Status.INTERNAL.withDescription("http/2 protocol error from the server: " + e.getMessage());
        } catch (EOFException e) {
            Status known = connection.closedStatus();
            status = known != null ? known : Status.UNAVAILABLE.withDescription("the server closed the connection").withCause(e);
        } catch (IOException e) {
            status = H2Connection.ioStatus(e);
        } catch (RuntimeException e) {
            status = Status.INTERNAL.withDescription("http/2 reader failed").withCause(e);
        }
        connection.fail(status);
    }

    private void dispatch(Frame f) throws Http2Exception {
        if (continued != null && (f.type() != Http2Frames.CONTINUATION || f.streamId() != continuedStream)) {
            throw new Http2Exception(Http2Error.PROTOCOL_ERROR, "expected CONTINUATION on stream " + continuedStream + ", got frame type " + f.type());
        }
        switch (f.type()) {
            case Http2Frames.DATA -> onData(f);
            case Http2Frames.HEADERS -> onHeaders(f);
            case Http2Frames.CONTINUATION -> onContinuation(f);
            case Http2Frames.RST_STREAM -> onRstStream(f);
            case Http2Frames.SETTINGS -> onSettings(f);
            case Http2Frames.PING -> onPing(f);
            case Http2Frames.GOAWAY -> onGoAway(f);
            case Http2Frames.WINDOW_UPDATE -> onWindowUpdate(f);
            case Http2Frames.PUSH_PROMISE -> throw new Http2Exception(Http2Error.PROTOCOL_ERROR, "PUSH_PROMISE although SETTINGS_ENABLE_PUSH is 0");
            default -> {
                // PRIORITY and unknown frame types carry nothing a client must act on (RFC 7540 §5.5)
            }
        }
    }

    private void onData(Frame f) throws Http2Exception {
        requireStream(f);
        byte[] p = f.payload();
        int start = f.has(Http2Frames.FLAG_PADDED) ? 1 : 0;
        int end = p.length - padding(f);
        // flow control counts the whole payload, padding included (RFC 7540 §6.9.1)
        unconfirmed += p.length;
        if (unconfirmed >= H2Connection.RECEIVE_WINDOW / 2) {
            int increment = unconfirmed;
            unconfirmed = 0;
            connection.write(w -> w.windowUpdate(0, increment));
        }
        H2Stream stream = connection.stream(f.streamId());
        boolean endStream = f.has(Http2Frames.FLAG_END_STREAM);
        if (stream == null || (endStream && !connection.remove(stream))) {
            // a stream this client reset: only the connection window mattered
            return;
        }
        if (end - start < p.length && !endStream) {
            stream.consumed(p.length - (end - start));
        }
        byte[] content = end - start == p.length ? p : Arrays.copyOfRange(p, start, end);
        stream.handler.dataReceived(content, endStream);
    }

    private void onHeaders(Frame f) throws Http2Exception {
        requireStream(f);
        byte[] p = f.payload();
        int start = (f.has(Http2Frames.FLAG_PADDED) ? 1 : 0) + (f.has(Http2Frames.FLAG_PRIORITY) ? 5 : 0);
        int end = p.length - padding(f);
        if (end < start) {
            throw new Http2Exception(Http2Error.PROTOCOL_ERROR, "HEADERS frame too short for its padding and priority");
        }
        if (f.has(Http2Frames.FLAG_END_HEADERS)) {
            headerBlock(f.streamId(), f.has(Http2Frames.FLAG_END_STREAM), ByteBuffer.wrap(p, start, end - start));
        } else {
            continued = new ByteArrayOutputStream();
            continued.write(p, start, end - start);
            continuedStream = f.streamId();
            continuedEndStream = f.has(Http2Frames.FLAG_END_STREAM);
        }
    }

    private void onContinuation(Frame f) throws Http2Exception {
        if (continued == null) {
            throw new Http2Exception(Http2Error.PROTOCOL_ERROR, "CONTINUATION without HEADERS on stream " + f.streamId());
        }
        continued.write(f.payload(), 0, f.payload().length);
        if (continued.size() > MAX_HEADER_BLOCK) {
            throw new Http2Exception(Http2Error.ENHANCE_YOUR_CALM, "header block exceeds " + MAX_HEADER_BLOCK + " octets");
        }
        if (f.has(Http2Frames.FLAG_END_HEADERS)) {
            ByteBuffer block = ByteBuffer.wrap(continued.toByteArray());
            continued = null;
            headerBlock(continuedStream, continuedEndStream, block);
        }
    }

    private void headerBlock(int streamId, boolean endStream, ByteBuffer block) throws Http2Exception {
        List<Header> headers;
        try {
            // decode even for a stream already gone: every block updates the dynamic table
            headers = decoder.decode(block);
        } catch (HpackException e) {
            throw new Http2Exception(Http2Error.COMPRESSION_ERROR, e.getMessage());
        }
        H2Stream stream = connection.stream(streamId);
        if (stream == null || (endStream && !connection.remove(stream))) {
            return;
        }
        stream.handler.headersReceived(headers, endStream);
    }

    private void onRstStream(Frame f) throws Http2Exception {
        requireStream(f);
        requireLength(f, 4);
        H2Stream stream = connection.stream(f.streamId());
        if (stream != null && connection.remove(stream)) {
            stream.handler.streamClosed(Http2Error.status(Http2Frames.readUint32(f.payload(), 0), "the server reset the stream"));
        }
    }

    private void onSettings(Frame f) throws Http2Exception {
        requireConnection(f);
        byte[] p = f.payload();
        if (f.has(Http2Frames.FLAG_ACK)) {
            requireLength(f, 0);
            return;
        }
        if (p.length % 6 != 0) {
            throw new Http2Exception(Http2Error.FRAME_SIZE_ERROR, "SETTINGS of " + p.length + " octets");
        }
        for (int i = 0; i < p.length; i += 6) {
            int id = ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
            long value = Http2Frames.readUint32(p, i + 2);
            if (id == Http2Frames.SETTINGS_INITIAL_WINDOW_SIZE) {
                if (value > Http2Frames.MAX_WINDOW) {
                    throw new Http2Exception(Http2Error.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE " + value);
                }
                connection.peerInitialWindow((int) value);
            } else if (id == Http2Frames.SETTINGS_MAX_FRAME_SIZE) {
                if (value < Http2Frames.DEFAULT_MAX_FRAME_SIZE || value > Http2Frames.MAX_FRAME_SIZE_LIMIT) {
                    throw new Http2Exception(Http2Error.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + value);
                }
                connection.peerMaxFrameSize((int) value);
            }
            // the rest needs nothing: the encoder never indexes, so HEADER_TABLE_SIZE does not
            // matter, and a stream over MAX_CONCURRENT_STREAMS is refused by the server (UNAVAILABLE)
        }
        connection.write(FrameWriter::settingsAck);
    }

    private void onPing(Frame f) throws Http2Exception {
        requireConnection(f);
        requireLength(f, 8);
        if (!f.has(Http2Frames.FLAG_ACK)) {
            connection.write(w -> w.pingAck(f.payload()));
        }
    }

    private void onGoAway(Frame f) throws Http2Exception {
        requireConnection(f);
        byte[] p = f.payload();
        if (p.length < 8) {
            throw new Http2Exception(Http2Error.FRAME_SIZE_ERROR, "GOAWAY of " + p.length + " octets");
        }
        int lastStreamId = Http2Frames.readInt31(p, 0);
        String debug = new String(p, 8, p.length - 8, StandardCharsets.UTF_8);
        Status status = Http2Error.status(Http2Frames.readUint32(p, 4), "the server sent GOAWAY" + (debug.isEmpty() ? "" : ": " + debug));
        for (H2Stream abandoned : connection.goAway(lastStreamId, status)) {
            // RFC 7540 §6.8: streams above the last id were never processed, so they may be retried
            abandoned.handler.streamClosed(Status.UNAVAILABLE.withDescription("stream abandoned: " + status.getDescription()));
        }
    }

    private void onWindowUpdate(Frame f) throws Http2Exception {
        requireLength(f, 4);
        int increment = Http2Frames.readInt31(f.payload(), 0);
        if (f.streamId() == 0) {
            if (increment == 0) {
                throw new Http2Exception(Http2Error.PROTOCOL_ERROR, "connection WINDOW_UPDATE of 0");
            }
            if (!connection.windowUpdate(null, increment)) {
                throw new Http2Exception(Http2Error.FLOW_CONTROL_ERROR, "connection send window above 2^31-1");
            }
            return;
        }
        H2Stream stream = connection.stream(f.streamId());
        if (stream == null || (increment > 0 && connection.windowUpdate(stream, increment))) {
            return;
        }
        // a stream error (RFC 7540 §6.9, §6.9.1): reset that stream, keep the connection
        Http2Error error = increment == 0 ? Http2Error.PROTOCOL_ERROR : Http2Error.FLOW_CONTROL_ERROR;
        if (connection.reset(stream, error)) {
            stream.handler.streamClosed(Status.INTERNAL.withDescription("invalid WINDOW_UPDATE of " + increment + " from the server (" + error.name() + ")"));
        }
    }

    private static int padding(Frame f) throws Http2Exception {
        if (!f.has(Http2Frames.FLAG_PADDED)) {
            return 0;
        }
        byte[] p = f.payload();
        if (p.length == 0 || (p[0] & 0xff) >= p.length) {
            throw new Http2Exception(Http2Error.PROTOCOL_ERROR, "padding exceeds the frame on stream " + f.streamId());
        }
        return p[0] & 0xff;
    }

    private static void requireStream(Frame f) throws Http2Exception {
        if (f.streamId() == 0) {
            throw new Http2Exception(Http2Error.PROTOCOL_ERROR, "frame type " + f.type() + " on stream 0");
        }
    }

    private static void requireConnection(Frame f) throws Http2Exception {
        if (f.streamId() != 0) {
            throw new Http2Exception(Http2Error.PROTOCOL_ERROR, "frame type " + f.type() + " on stream " + f.streamId());
        }
    }

    private static void requireLength(Frame f, int length) throws Http2Exception {
        if (f.payload().length != length) {
            throw new Http2Exception(Http2Error.FRAME_SIZE_ERROR, "frame type " + f.type() + " of " + f.payload().length + " octets, expected " + length);
        }
    }
}
