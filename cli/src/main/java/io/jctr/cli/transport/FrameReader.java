package io.jctr.cli.transport;

import io.jctr.cli.transport.Http2Frames.Frame;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** Reads HTTP/2 frames (RFC 7540 §4.1) from a blocking channel. Not thread-safe. */
final class FrameReader {

    private final ReadableByteChannel in;
    private final int maxFrameSize;
    /** Kept in read mode: position..limit holds the bytes not yet parsed. */
    private final ByteBuffer buffer;

    /** @param maxFrameSize the SETTINGS_MAX_FRAME_SIZE this endpoint advertised */
    FrameReader(ReadableByteChannel in, int maxFrameSize) {
        this.in = in;
        this.maxFrameSize = maxFrameSize;
        this.buffer = ByteBuffer.allocate(4 * (maxFrameSize + Http2Frames.FRAME_HEADER_LENGTH));
        buffer.flip();
    }

    /** The next frame; blocks until it has arrived whole. */
    Frame next() throws IOException, Http2Exception {
        fill(Http2Frames.FRAME_HEADER_LENGTH);
        int length = ((buffer.get() & 0xff) << 16) | ((buffer.get() & 0xff) << 8) | (buffer.get() & 0xff);
        int type = buffer.get() & 0xff;
        int flags = buffer.get() & 0xff;
        int streamId = buffer.getInt() & 0x7fff_ffff;
        if (length > maxFrameSize) {
            throw new Http2Exception(Http2Error.FRAME_SIZE_ERROR, "frame of " + length + " octets exceeds the limit of " + maxFrameSize);
        }
        fill(length);
        byte[] payload = new byte[length];
        buffer.get(payload);
        return new Frame(type, flags, streamId, payload);
    }

    private void fill(int needed) throws IOException {
        if (buffer.remaining() >= needed) {
            return;
        }
        buffer.compact();
        while (buffer.position() < needed) {
            if (in.read(buffer) < 0) {
                throw new EOFException("the server closed the connection");
            }
        }
        buffer.flip();
    }
}
