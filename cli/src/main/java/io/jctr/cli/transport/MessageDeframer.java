package io.jctr.cli.transport;

import io.grpc.Status;
import io.grpc.StatusException;
import java.util.ArrayDeque;

/**
 * Splits the DATA of a response into gRPC messages (a 1-octet compressed flag, a 4-octet
 * big-endian length, the message), whatever the frame boundaries. Bytes are only read out of
 * the queue when the call asks for the next message, and {@link #takeConsumed()} counts them,
 * so the stream's flow-control window follows the application's demand. Not thread-safe.
 */
final class MessageDeframer {

    private static final int PREFIX_LENGTH = 5;

    private final int maxMessageSize;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int chunkOffset;
    private long buffered;

    private final byte[] prefix = new byte[PREFIX_LENGTH];
    private int prefixFilled;
    /** The message being filled, or null between messages. */
    private byte[] body;
    private int bodyFilled;

    private int consumed;

    MessageDeframer(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    void add(byte[] data) {
        if (data.length > 0) {
            chunks.add(data);
            buffered += data.length;
        }
    }

    /** The next whole message, or null until more DATA arrives. */
    byte[] next() throws StatusException {
        if (body == null) {
            prefixFilled += read(prefix, prefixFilled, PREFIX_LENGTH - prefixFilled);
            if (prefixFilled < PREFIX_LENGTH) {
                return null;
            }
            prefixFilled = 0;
            body = new byte[checkedLength()];
            bodyFilled = 0;
        }
        bodyFilled += read(body, bodyFilled, body.length - bodyFilled);
        if (bodyFilled < body.length) {
            return null;
        }
        byte[] message = body;
        body = null;
        return message;
    }

    /** No bytes buffered, not even part of a message. */
    boolean isEmpty() {
        return buffered == 0 && body == null && prefixFilled == 0;
    }

    /** The octets read out since the last call: window the stream may give back. */
    int takeConsumed() {
        int n = consumed;
        consumed = 0;
        return n;
    }

    /** Drops everything: the call has ended. */
    void clear() {
        chunks.clear();
        buffered = 0;
        body = null;
        prefixFilled = 0;
    }

    private int checkedLength() throws StatusException {
        int flags = prefix[0] & 0xff;
        if (flags == 1) {
            throw Status.INTERNAL.withDescription("compressed response message, but this client accepts no grpc-encoding").asException();
        }
        if (flags != 0) {
            throw Status.INTERNAL.withDescription("invalid message flags 0x" + Integer.toHexString(flags) + " in the response").asException();
        }
        long length = Http2Frames.readUint32(prefix, 1);
        if (length > maxMessageSize) {
            throw Status.RESOURCE_EXHAUSTED.withDescription("response message of " + length + " bytes exceeds the limit of " + maxMessageSize + " bytes").asException();
        }
        return (int) length;
    }

    private int read(byte[] dst, int offset, int length) {
        int done = 0;
        while (done < length && !chunks.isEmpty()) {
            byte[] chunk = chunks.peek();
            int n = Math.min(length - done, chunk.length - chunkOffset);
            System.arraycopy(chunk, chunkOffset, dst, offset + done, n);
            done += n;
            chunkOffset += n;
            if (chunkOffset == chunk.length) {
                chunks.poll();
                chunkOffset = 0;
            }
        }
        buffered -= done;
        consumed += done;
        return done;
    }
}
