package io.jctr.cli.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Builds HTTP/2 frames (RFC 7540 §6) in a buffer and writes them with {@link #flush()}, so that
 * the frames one call produces leave in one write. Not thread-safe: the connection serialises
 * writers on this object's monitor.
 */
final class FrameWriter {

    private final WritableByteChannel out;
    private ByteBuffer buffer = ByteBuffer.allocate(2 * (Http2Frames.DEFAULT_MAX_FRAME_SIZE + Http2Frames.FRAME_HEADER_LENGTH));

    FrameWriter(WritableByteChannel out) {
        this.out = out;
    }

    void preface() {
        ensure(Http2Frames.CLIENT_PREFACE.length);
        buffer.put(Http2Frames.CLIENT_PREFACE);
    }

    /** A SETTINGS frame from (identifier, value) pairs. */
    void settings(int... pairs) {
        header(3 * pairs.length, Http2Frames.SETTINGS, 0, 0);
        for (int i = 0; i < pairs.length; i += 2) {
            buffer.putShort((short) pairs[i]).putInt(pairs[i + 1]);
        }
    }

    void settingsAck() {
        header(0, Http2Frames.SETTINGS, Http2Frames.FLAG_ACK, 0);
    }

    void pingAck(byte[] opaque) {
        header(opaque.length, Http2Frames.PING, Http2Frames.FLAG_ACK, 0);
        buffer.put(opaque);
    }

    void windowUpdate(int streamId, int increment) {
        header(4, Http2Frames.WINDOW_UPDATE, 0, streamId);
        buffer.putInt(increment);
    }

    void rstStream(int streamId, Http2Error error) {
        header(4, Http2Frames.RST_STREAM, 0, streamId);
        buffer.putInt(error.code());
    }

    void goAway(int lastStreamId, Http2Error error) {
        header(8, Http2Frames.GOAWAY, 0, 0);
        buffer.putInt(lastStreamId).putInt(error.code());
    }

    /** A HEADERS frame, followed by CONTINUATION frames when the block exceeds {@code maxFrameSize}. */
    void headers(int streamId, byte[] block, boolean endStream, int maxFrameSize) {
        int first = Math.min(block.length, maxFrameSize);
        int flags = (endStream ? Http2Frames.FLAG_END_STREAM : 0) | (first == block.length ? Http2Frames.FLAG_END_HEADERS : 0);
        header(first, Http2Frames.HEADERS, flags, streamId);
        buffer.put(block, 0, first);
        for (int offset = first; offset < block.length; ) {
            int n = Math.min(block.length - offset, maxFrameSize);
            boolean last = offset + n == block.length;
            header(n, Http2Frames.CONTINUATION, last ? Http2Frames.FLAG_END_HEADERS : 0, streamId);
            buffer.put(block, offset, n);
            offset += n;
        }
    }

    /** One DATA frame; the caller keeps {@code length} within the peer's frame size and windows. */
    void data(int streamId, byte[] src, int offset, int length, boolean endStream) {
        header(length, Http2Frames.DATA, endStream ? Http2Frames.FLAG_END_STREAM : 0, streamId);
        buffer.put(src, offset, length);
    }

    void flush() throws IOException {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } finally {
            buffer.clear();
        }
    }

    private void header(int length, int type, int flags, int streamId) {
        ensure(Http2Frames.FRAME_HEADER_LENGTH + length);
        buffer.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        buffer.put((byte) type).put((byte) flags).putInt(streamId);
    }

    private void ensure(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * buffer.capacity(), buffer.position() + bytes));
            buffer.flip();
            buffer = bigger.put(buffer);
        }
    }
}
