package io.jctr.cli.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** gRPC over HTTP/2 details: grpc-timeout, grpc-message, metadata, message framing. */
class GrpcWireTest {

    @Test
    void grpcTimeoutUsesAtMostEightDigits() {
        assertEquals("0n", RequestHeaders.timeout(0));
        assertEquals("0n", RequestHeaders.timeout(-5));
        assertEquals("99999999n", RequestHeaders.timeout(99_999_999));
        assertEquals("100000u", RequestHeaders.timeout(100_000_000));
        assertEquals("5000000u", RequestHeaders.timeout(5_000_000_000L));
        assertEquals("3600000m", RequestHeaders.timeout(3_600_000_000_000L));
        assertEquals("100000S", RequestHeaders.timeout(100_000_000_000_000L));
        assertEquals("2562047H", RequestHeaders.timeout(Long.MAX_VALUE));
        assertEquals("1666666M", RequestHeaders.timeout(100_000_000_000_000_000L));
    }

    @Test
    void requestHeadersPutPseudoHeadersFirstAndEncodeBinaryMetadata() {
        Metadata m = new Metadata();
        m.put(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER), "default");
        m.put(Metadata.Key.of("trace-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {(byte) 0xfb, (byte) 0xff});
        m.put(Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER), "someone-else");
        List<Header> h = RequestHeaders.of("pkg.Service/Method", "localhost", m, 1_000_000_000L);
        assertEquals(List.of(new Header(":method", "POST"), new Header(":scheme", "http"), new Header(":path", "/pkg.Service/Method"),
                new Header(":authority", "localhost"), new Header("content-type", "application/grpc"), new Header("te", "trailers"),
                new Header("user-agent", "jctr"), new Header("grpc-timeout", "1000000u"), new Header("containerd-namespace", "default"),
                new Header("trace-bin", "+/8")), h);
    }

    @Test
    void grpcMessageIsPercentDecodedUtf8() {
        assertEquals("容器 not found", ResponseHeaders.percentDecode("%E5%AE%B9%E5%99%A8 not found"));
        assertEquals("100% done", ResponseHeaders.percentDecode("100%25 done"));
        assertEquals("bad %zz and %2", ResponseHeaders.percentDecode("bad %zz and %2"));
        assertEquals("plain", ResponseHeaders.percentDecode("plain"));
    }

    @Test
    void statusFromTrailers() {
        Status s = ResponseHeaders.status(List.of(new Header("grpc-status", "5"), new Header("grpc-message", "no%20such%20thing")), false);
        assertEquals(Status.Code.NOT_FOUND, s.getCode());
        assertEquals("no such thing", s.getDescription());
        assertEquals(Status.Code.UNKNOWN, ResponseHeaders.status(List.of(), false).getCode());
        assertEquals(Status.Code.UNKNOWN, ResponseHeaders.status(List.of(new Header("grpc-status", "x")), false).getCode());
        Status http = ResponseHeaders.status(List.of(new Header(":status", "401")), true);
        assertEquals(Status.Code.UNAUTHENTICATED, http.getCode());
        assertEquals("HTTP status code 401", http.getDescription());
        assertNull(ResponseHeaders.check(List.of(new Header(":status", "200"), new Header("content-type", "application/grpc+proto"))));
        assertEquals(Status.Code.UNKNOWN, ResponseHeaders.check(List.of(new Header(":status", "200"), new Header("content-type", "application/grpcx"))).getCode());
    }

    @Test
    void responseMetadataDecodesBinaryValuesPaddedOrNot() {
        Metadata m = ResponseHeaders.metadata(List.of(new Header(":status", "200"), new Header("x-bin", "AAE,AAE="),
                new Header("x-note", "hello"), new Header("grpc-status", "0"), new Header("Bad Name", "dropped")));
        Iterable<byte[]> values = m.getAll(Metadata.Key.of("x-bin", Metadata.BINARY_BYTE_MARSHALLER));
        List<byte[]> list = new ArrayList<>();
        values.forEach(list::add);
        assertEquals(2, list.size());
        assertArrayEquals(new byte[] {0, 1}, list.get(0));
        assertArrayEquals(new byte[] {0, 1}, list.get(1));
        assertEquals("hello", m.get(Metadata.Key.of("x-note", Metadata.ASCII_STRING_MARSHALLER)));
        assertEquals(2, m.keys().size(), "pseudo-headers, grpc-status and invalid names are not metadata");
    }

    @Test
    void deframerReassemblesMessagesAcrossChunks() throws StatusException {
        MessageDeframer d = new MessageDeframer(100);
        byte[] wire = Hex.bytes("00 00000003 616263 00 00000000 00 00000002 7879");
        for (byte b : wire) {
            d.add(new byte[] {b});
        }
        assertArrayEquals("abc".getBytes(), d.next());
        assertArrayEquals(new byte[0], d.next());
        assertArrayEquals("xy".getBytes(), d.next());
        assertNull(d.next());
        assertTrue(d.isEmpty());
        assertEquals(wire.length, d.takeConsumed());
        assertEquals(0, d.takeConsumed());
    }

    @Test
    void deframerReadsOnlyWhatIsAskedFor() throws StatusException {
        MessageDeframer d = new MessageDeframer(100);
        d.add(Hex.bytes("00 00000001 61 00 00000001"));
        assertArrayEquals("a".getBytes(), d.next());
        assertEquals(6, d.takeConsumed());
        assertNull(d.next(), "half a message");
        assertEquals(5, d.takeConsumed());
        d.add(Hex.bytes("62"));
        assertArrayEquals("b".getBytes(), d.next());
    }

    @Test
    void deframerRejectsCompressionAndOversizedMessages() {
        MessageDeframer compressed = new MessageDeframer(100);
        compressed.add(Hex.bytes("01 00000001 61"));
        assertEquals(Status.Code.INTERNAL, assertThrows(StatusException.class, compressed::next).getStatus().getCode());
        MessageDeframer big = new MessageDeframer(100);
        big.add(Hex.bytes("00 00000065"));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, assertThrows(StatusException.class, big::next).getStatus().getCode());
    }
}
