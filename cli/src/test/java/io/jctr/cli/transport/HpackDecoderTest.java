package io.jctr.cli.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoding examples of RFC 7541 Appendix C, each sequence on one decoder. */
class HpackDecoderTest {

    private static final String DATE_21 = "Mon, 21 Oct 2013 20:13:21 GMT";
    private static final String DATE_22 = "Mon, 21 Oct 2013 20:13:22 GMT";
    private static final String LOCATION = "https://www.example.com";
    private static final String COOKIE = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

    @Test
    void c2LiteralRepresentations() throws HpackException {
        HpackDecoder d = new HpackDecoder(4096);
        assertEquals(List.of(h("custom-key", "custom-header")),
                d.decode(Hex.buffer("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572")));
        assertEquals(55, d.table().size());
        assertEquals(List.of(h(":path", "/sample/path")), d.decode(Hex.buffer("040c 2f73 616d 706c 652f 7061 7468")));
        assertEquals(List.of(h("password", "secret")), d.decode(Hex.buffer("1008 7061 7373 776f 7264 0673 6563 7265 74")));
        assertEquals(List.of(h(":method", "GET")), d.decode(Hex.buffer("82")));
        assertEquals(1, d.table().length(), "only the incremental-indexing literal enters the table");
    }

    @Test
    void c3RequestsWithoutHuffman() throws HpackException {
        HpackDecoder d = new HpackDecoder(4096);
        assertEquals(firstRequest(), d.decode(Hex.buffer("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")));
        assertTable(d, 57, h(":authority", "www.example.com"));
        assertEquals(secondRequest(), d.decode(Hex.buffer("8286 84be 5808 6e6f 2d63 6163 6865")));
        assertTable(d, 110, h("cache-control", "no-cache"), h(":authority", "www.example.com"));
        assertEquals(thirdRequest(), d.decode(Hex.buffer("8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65")));
        assertTable(d, 164, h("custom-key", "custom-value"), h("cache-control", "no-cache"), h(":authority", "www.example.com"));
    }

    @Test
    void c4RequestsWithHuffman() throws HpackException {
        HpackDecoder d = new HpackDecoder(4096);
        assertEquals(firstRequest(), d.decode(Hex.buffer("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff")));
        assertTable(d, 57, h(":authority", "www.example.com"));
        assertEquals(secondRequest(), d.decode(Hex.buffer("8286 84be 5886 a8eb 1064 9cbf")));
        assertTable(d, 110, h("cache-control", "no-cache"), h(":authority", "www.example.com"));
        assertEquals(thirdRequest(), d.decode(Hex.buffer("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf")));
        assertTable(d, 164, h("custom-key", "custom-value"), h("cache-control", "no-cache"), h(":authority", "www.example.com"));
    }

    @Test
    void c5ResponsesWithoutHuffmanEvict() throws HpackException {
        HpackDecoder d = new HpackDecoder(256);
        assertEquals(firstResponse(), d.decode(Hex.buffer("4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133"
                + "2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")));
        assertTable(d, 222, h("location", LOCATION), h("date", DATE_21), h("cache-control", "private"), h(":status", "302"));
        assertEquals(secondResponse(), d.decode(Hex.buffer("4803 3330 37c1 c0bf")));
        assertTable(d, 222, h(":status", "307"), h("location", LOCATION), h("date", DATE_21), h("cache-control", "private"));
        assertEquals(thirdResponse(), d.decode(Hex.buffer("88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d"
                + "54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049"
                + "5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31")));
        assertTable(d, 215, h("set-cookie", COOKIE), h("content-encoding", "gzip"), h("date", DATE_22));
    }

    @Test
    void c6ResponsesWithHuffmanEvict() throws HpackException {
        HpackDecoder d = new HpackDecoder(256);
        assertEquals(firstResponse(), d.decode(Hex.buffer("4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6"
                + "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3")));
        assertTable(d, 222, h("location", LOCATION), h("date", DATE_21), h("cache-control", "private"), h(":status", "302"));
        assertEquals(secondResponse(), d.decode(Hex.buffer("4883 640e ffc1 c0bf")));
        assertTable(d, 222, h(":status", "307"), h("location", LOCATION), h("date", DATE_21), h("cache-control", "private"));
        assertEquals(thirdResponse(), d.decode(Hex.buffer("88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d"
                + "1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07")));
        assertTable(d, 215, h("set-cookie", COOKIE), h("content-encoding", "gzip"), h("date", DATE_22));
    }

    @Test
    void sizeUpdateEvictsAndBoundsTheTable() throws HpackException {
        HpackDecoder d = new HpackDecoder(4096);
        d.decode(Hex.buffer("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d"));
        // 0x20: size update to 0 empties the table, then 0x3f e1 1f: back to 4096
        assertEquals(List.of(h(":method", "GET")), d.decode(Hex.buffer("20 3fe1 1f 82")));
        assertEquals(0, d.table().length());
        assertEquals(4096, d.table().maxSize());
        assertThrows(HpackException.class, () -> d.decode(Hex.buffer("3fe2 1f")), "4097 exceeds SETTINGS_HEADER_TABLE_SIZE");
        assertThrows(HpackException.class, () -> d.decode(Hex.buffer("82 20")), "a size update must open the block");
    }

    @Test
    void entryLargerThanTheTableEmptiesIt() throws HpackException {
        HpackDecoder d = new HpackDecoder(64);
        d.decode(Hex.buffer("4108 7777 772e 782e 636f")); // :authority www.x.co, 50 octets
        assertEquals(1, d.table().length());
        String big = "a".repeat(40);
        d.decode(ByteBuffer.wrap(literalWithIndexing("k", big)));
        assertEquals(0, d.table().length());
        assertEquals(0, d.table().size());
    }

    @Test
    void rejectsMalformedBlocks() {
        HpackDecoder d = new HpackDecoder(4096);
        assertThrows(HpackException.class, () -> d.decode(Hex.buffer("80")), "index 0");
        assertThrows(HpackException.class, () -> d.decode(Hex.buffer("be")), "index 62 with an empty dynamic table");
        assertThrows(HpackException.class, () -> d.decode(Hex.buffer("4005 6162")), "string longer than the block");
        assertThrows(HpackException.class, () -> d.decode(Hex.buffer("41")), "missing value");
        assertThrows(HpackException.class, () -> d.decode(Hex.buffer("ff")), "truncated integer");
        assertThrows(HpackException.class, () -> d.decode(Hex.buffer("0084 ffff ffff 00")), "EOS inside a huffman string");
    }

    private static byte[] literalWithIndexing(String name, String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x40);
        HpackEncoder.writeInteger(out, name.length(), 7, 0);
        out.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        HpackEncoder.writeInteger(out, value.length(), 7, 0);
        out.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static void assertTable(HpackDecoder d, int size, Header... newestFirst) {
        HpackDynamicTable t = d.table();
        assertEquals(newestFirst.length, t.length(), "entries");
        for (int i = 0; i < newestFirst.length; i++) {
            assertEquals(newestFirst[i], t.get(i + 1), "entry " + (i + 1));
        }
        assertEquals(size, t.size(), "table size");
    }

    private static List<Header> firstRequest() {
        return List.of(h(":method", "GET"), h(":scheme", "http"), h(":path", "/"), h(":authority", "www.example.com"));
    }

    private static List<Header> secondRequest() {
        return List.of(h(":method", "GET"), h(":scheme", "http"), h(":path", "/"), h(":authority", "www.example.com"),
                h("cache-control", "no-cache"));
    }

    private static List<Header> thirdRequest() {
        return List.of(h(":method", "GET"), h(":scheme", "https"), h(":path", "/index.html"), h(":authority", "www.example.com"),
                h("custom-key", "custom-value"));
    }

    private static List<Header> firstResponse() {
        return List.of(h(":status", "302"), h("cache-control", "private"), h("date", DATE_21), h("location", LOCATION));
    }

    private static List<Header> secondResponse() {
        return List.of(h(":status", "307"), h("cache-control", "private"), h("date", DATE_21), h("location", LOCATION));
    }

    private static List<Header> thirdResponse() {
        return List.of(h(":status", "200"), h("cache-control", "private"), h("date", DATE_22), h("location", LOCATION),
                h("content-encoding", "gzip"), h("set-cookie", COOKIE));
    }

    private static Header h(String name, String value) {
        return new Header(name, value);
    }
}
