package io.jctr.cli.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes request headers as HPACK "literal header field without indexing — new name"
 * (RFC 7541 §6.2.2) with plain strings. It never touches the peer's dynamic table, so it needs
 * no state and stays valid whatever SETTINGS_HEADER_TABLE_SIZE the peer announces; the cost is
 * a few dozen octets a request, nothing on a unix socket.
 */
final class HpackEncoder {

    private HpackEncoder() {
    }

    static byte[] encode(List<Header> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        for (Header h : headers) {
            out.write(0x00);
            writeString(out, h.name());
            writeString(out, h.value());
        }
        return out.toByteArray();
    }

    /**
     * Writes {@code value} with an N-bit prefix (RFC 7541 §5.1); {@code flags} are the bits
     * above the prefix in the first octet.
     */
    static void writeInteger(ByteArrayOutputStream out, int value, int prefixBits, int flags) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(flags | value);
            return;
        }
        out.write(flags | max);
        int rest = value - max;
        while (rest >= 0x80) {
            out.write((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        out.write(rest);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] octets = s.getBytes(StandardCharsets.ISO_8859_1);
        writeInteger(out, octets.length, 7, 0);
        out.writeBytes(octets);
    }
}
