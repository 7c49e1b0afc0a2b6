package io.jctr.cli.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HPACK's prefixed integers (RFC 7541 §5.1, examples C.1). */
class HpackIntegerTest {

    @Test
    void c1Examples() throws HpackException {
        assertArrayEquals(Hex.bytes("0a"), encode(10, 5, 0));
        assertArrayEquals(Hex.bytes("1f9a0a"), encode(1337, 5, 0));
        assertArrayEquals(Hex.bytes("2a"), encode(42, 8, 0));
        assertEquals(10, HpackDecoder.readInteger(Hex.buffer("0a"), 5));
        assertEquals(1337, HpackDecoder.readInteger(Hex.buffer("1f9a0a"), 5));
        assertEquals(42, HpackDecoder.readInteger(Hex.buffer("2a"), 8));
    }

    @Test
    void bitsAboveThePrefixAreNotPartOfTheValue() throws HpackException {
        assertEquals(1337, HpackDecoder.readInteger(Hex.buffer("ff9a0a"), 5));
        assertEquals(1337, HpackDecoder.readInteger(Hex.buffer("bf9a0a"), 5));
        assertArrayEquals(Hex.bytes("e0"), encode(0, 5, 0xe0));
    }

    @Test
    void aValueOfExactlyThePrefixMaximumNeedsAZeroContinuation() throws HpackException {
        assertArrayEquals(Hex.bytes("1f00"), encode(31, 5, 0));
        assertArrayEquals(Hex.bytes("7f00"), encode(127, 7, 0));
        assertArrayEquals(Hex.bytes("ff00"), encode(255, 8, 0));
        assertEquals(31, HpackDecoder.readInteger(Hex.buffer("1f00"), 5));
        assertEquals(30, HpackDecoder.readInteger(Hex.buffer("1e"), 5));
        assertArrayEquals(Hex.bytes("1f7f"), encode(31 + 127, 5, 0));
        assertArrayEquals(Hex.bytes("1f8001"), encode(31 + 128, 5, 0));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6, 7, 14, 15, 30, 31, 62, 63, 126, 127, 128, 254, 255, 256, 16_383, 16_384, 2_097_151, 1 << 24, Integer.MAX_VALUE})
    void roundTripsAtEveryPrefix(int value) throws HpackException {
        for (int prefix = 1; prefix <= 8; prefix++) {
            ByteBuffer in = ByteBuffer.wrap(encode(value, prefix, 0));
            assertEquals(value, HpackDecoder.readInteger(in, prefix), "prefix " + prefix);
            assertFalse(in.hasRemaining(), "consumes exactly its octets");
        }
    }

    @Test
    void rejectsOverflowAndTruncation() {
        assertThrows(HpackException.class, () -> HpackDecoder.readInteger(Hex.buffer("1fffffffff0f"), 5), "2^32 + 30");
        assertThrows(HpackException.class, () -> HpackDecoder.readInteger(Hex.buffer("01ff ffff ffff ffff ff"), 1), "endless continuation");
        assertThrows(HpackException.class, () -> HpackDecoder.readInteger(Hex.buffer("1f9a"), 5), "missing last octet");
        assertThrows(HpackException.class, () -> HpackDecoder.readInteger(Hex.buffer("ff"), 8), "missing continuation");
    }

    private static byte[] encode(int value, int prefix, int flags) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HpackEncoder.writeInteger(out, value, prefix, flags);
        return out.toByteArray();
    }
}
