package io.jctr.cli.transport;

import java.nio.charset.StandardCharsets;

/** The HTTP/2 wire constants this client uses (RFC 7540 §3.5, §6, §11). */
final class Http2Frames {

    static final byte[] CLIENT_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final int FRAME_HEADER_LENGTH = 9;

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    static final int FLAG_END_STREAM = 0x1;
    static final int FLAG_ACK = 0x1;
    static final int FLAG_END_HEADERS = 0x4;
    static final int FLAG_PADDED = 0x8;
    static final int FLAG_PRIORITY = 0x20;

    static final int SETTINGS_ENABLE_PUSH = 0x2;
    static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    static final int SETTINGS_MAX_FRAME_SIZE = 0x5;

    /** §6.5.2 defaults, in force until the peer's SETTINGS say otherwise. */
    static final int DEFAULT_WINDOW = 65_535;
    static final int DEFAULT_MAX_FRAME_SIZE = 16_384;
    static final int MAX_FRAME_SIZE_LIMIT = (1 << 24) - 1;
    static final long MAX_WINDOW = Integer.MAX_VALUE;

    private Http2Frames() {
    }

    /** One frame as read: its payload is the frame's own copy. */
    record Frame(int type, int flags, int streamId, byte[] payload) {
        boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    static int readInt31(byte[] b, int offset) {
        return (int) (readUint32(b, offset) & 0x7fff_ffffL);
    }

    static long readUint32(byte[] b, int offset) {
        return ((b[offset] & 0xffL) << 24) | ((b[offset + 1] & 0xffL) << 16) | ((b[offset + 2] & 0xffL) << 8) | (b[offset + 3] & 0xffL);
    }
}
