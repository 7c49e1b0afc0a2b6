package io.jctr.cli.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** HPACK's Huffman code (RFC 7541 §5.2, Appendix B). */
class HuffmanTest {

    @Test
    void encodesTheRfcExamples() {
        assertArrayEquals(Hex.bytes("f1e3 c2e5 f23a 6ba0 ab90 f4ff"), Huffman.encode(ascii("www.example.com")));
        assertArrayEquals(Hex.bytes("a8eb 1064 9cbf"), Huffman.encode(ascii("no-cache")));
        assertArrayEquals(Hex.bytes("6402"), Huffman.encode(ascii("302")));
        assertArrayEquals(Hex.bytes("9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3"), Huffman.encode(ascii("https://www.example.com")));
    }

    @Test
    void decodesTheRfcExamples() throws HpackException {
        assertEquals("custom-key", decode("25a8 49e9 5ba9 7d7f"));
        assertEquals("custom-value", decode("25a8 49e9 5bb8 e8b4 bf"));
        assertEquals("Mon, 21 Oct 2013 20:13:21 GMT", decode("d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff"));
        assertEquals("foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
                decode("94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07"));
    }

    @Test
    void roundTripsEveryOctet() throws HpackException {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        assertArrayEquals(all, roundTrip(all));
        for (int i = 0; i < 256; i++) {
            byte[] one = {(byte) i};
            assertArrayEquals(one, roundTrip(one), "octet " + i);
        }
    }

    @Test
    void roundTripsRandomStrings() throws HpackException {
        Random random = new Random(7541);
        for (int i = 0; i < 2000; i++) {
            byte[] s = new byte[random.nextInt(300)];
            random.nextBytes(s);
            assertArrayEquals(s, roundTrip(s));
        }
        assertArrayEquals(new byte[0], roundTrip(new byte[0]));
        byte[] utf8 = "Ünïcödé — 容器 %E2%9C%93".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(utf8, roundTrip(utf8));
    }

    @Test
    void rejectsBadPaddingAndEos() {
        byte[] good = Huffman.encode(ascii("www.example.com"));
        byte[] zeroPadded = good.clone();
        zeroPadded[zeroPadded.length - 1] &= (byte) 0xfe;
        assertThrows(HpackException.class, () -> Huffman.decode(zeroPadded, 0, zeroPadded.length), "padding not all ones");
        assertThrows(HpackException.class, () -> Huffman.decode(Hex.bytes("ffffffff"), 0, 4), "EOS");
        byte[] longPadding = {(byte) 0x1f, (byte) 0xff}; // 'a' (00011) then 11 one bits
        assertThrows(HpackException.class, () -> Huffman.decode(longPadding, 0, 2), "padding of 8 bits or more");
    }

    private static byte[] roundTrip(byte[] s) throws HpackException {
        byte[] coded = Huffman.encode(s);
        return Huffman.decode(coded, 0, coded.length);
    }

    private static String decode(String hex) throws HpackException {
        byte[] b = Hex.bytes(hex);
        return new String(Huffman.decode(b, 0, b.length), StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
