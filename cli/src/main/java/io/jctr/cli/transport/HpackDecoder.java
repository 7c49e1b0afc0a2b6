package io.jctr.cli.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes HPACK header blocks (RFC 7541): every representation, the dynamic table with its
 * size updates, and Huffman-coded strings. One decoder per connection, fed every header block
 * in the order received, whether or not a stream still wants it, because each block may change
 * the table. Not thread-safe: the connection's reader thread owns it.
 */
final class HpackDecoder {

    /** The most continuation octets an int can need after the prefix: 5 × 7 bits ≥ 31 bits. */
    private static final int MAX_CONTINUATION_OCTETS = 5;

    private final int maxTableSizeLimit;
    private final HpackDynamicTable table;

    /** @param maxTableSize the SETTINGS_HEADER_TABLE_SIZE this endpoint advertised */
    HpackDecoder(int maxTableSize) {
        this.maxTableSizeLimit = maxTableSize;
        this.table = new HpackDynamicTable(maxTableSize);
    }

    HpackDynamicTable table() {
        return table;
    }

    /** Decodes one complete header block, from the buffer's position to its limit. */
    List<Header> decode(ByteBuffer in) throws HpackException {
        List<Header> headers = new ArrayList<>();
        boolean sizeUpdateAllowed = true;
        while (in.hasRemaining()) {
            int first = in.get(in.position()) & 0xff;
            if ((first & 0x80) != 0) {
                // §6.1 indexed header field
                headers.add(entry(readInteger(in, 7)));
            } else if ((first & 0x40) != 0) {
                // §6.2.1 literal with incremental indexing
                Header h = literal(in, 6);
                table.add(h);
                headers.add(h);
            } else if ((first & 0x20) != 0) {
                // §4.2: a size update may only open a header block
                if (!sizeUpdateAllowed) {
                    throw new HpackException("dynamic table size update after a header field");
                }
                int size = readInteger(in, 5);
                if (size > maxTableSizeLimit) {
                    throw new HpackException("dynamic table size update to " + size + " exceeds the limit " + maxTableSizeLimit);
                }
                table.setMaxSize(size);
                continue;
            } else {
                // §6.2.2 without indexing (0000) and §6.2.3 never indexed (0001) decode alike
                headers.add(literal(in, 4));
            }
            sizeUpdateAllowed = false;
        }
        return headers;
    }

    /**
     * Reads an integer with an N-bit prefix (RFC 7541 §5.1), starting at the octet that holds the
     * prefix; the bits above the prefix are ignored.
     */
    static int readInteger(ByteBuffer in, int prefixBits) throws HpackException {
        int max = (1 << prefixBits) - 1;
        int value = in.get() & max;
        if (value < max) {
            return value;
        }
        long total = value;
        for (int i = 0; i < MAX_CONTINUATION_OCTETS; i++) {
            if (!in.hasRemaining()) {
                throw new HpackException("truncated integer");
            }
            int b = in.get() & 0xff;
            total += (long) (b & 0x7f) << (7 * i);
            if (total > Integer.MAX_VALUE) {
                throw new HpackException("integer overflow");
            }
            if ((b & 0x80) == 0) {
                return (int) total;
            }
        }
        throw new HpackException("integer overflow");
    }

    private Header literal(ByteBuffer in, int prefixBits) throws HpackException {
        int index = readInteger(in, prefixBits);
        String name = index == 0 ? readString(in) : entry(index).name();
        return new Header(name, readString(in));
    }

    private Header entry(int index) throws HpackException {
        if (index >= 1 && index <= HpackStaticTable.SIZE) {
            return HpackStaticTable.get(index);
        }
        int dynamic = index - HpackStaticTable.SIZE;
        if (index == 0 || dynamic > table.length()) {
            throw new HpackException("header index " + index + " out of range (dynamic table holds " + table.length() + ")");
        }
        return table.get(dynamic);
    }

    private static String readString(ByteBuffer in) throws HpackException {
        if (!in.hasRemaining()) {
            throw new HpackException("truncated string literal");
        }
        boolean huffman = (in.get(in.position()) & 0x80) != 0;
        int length = readInteger(in, 7);
        if (length > in.remaining()) {
            throw new HpackException("string literal of " + length + " octets exceeds the block");
        }
        byte[] raw = new byte[length];
        in.get(raw);
        byte[] octets = huffman ? Huffman.decode(raw, 0, length) : raw;
        return new String(octets, StandardCharsets.ISO_8859_1);
    }
}
