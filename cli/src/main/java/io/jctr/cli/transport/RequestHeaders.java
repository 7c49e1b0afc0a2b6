package io.jctr.cli.transport;

import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** The HTTP/2 request headers of a gRPC call ("Requests" in gRPC's PROTOCOL-HTTP2.md). */
final class RequestHeaders {

    /** Headers this transport sets itself; the caller's metadata cannot override them. */
    private static final Set<String> RESERVED = Set.of("content-type", "te", "user-agent", "grpc-timeout");
    private static final long TIMEOUT_DIGITS_LIMIT = 100_000_000L;

    private RequestHeaders() {
    }

    /**
     * @param timeoutNanos the time left before the deadline, or a negative number for none
     */
    static List<Header> of(String fullMethodName, String authority, Metadata metadata, long timeoutNanos) {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header(":method", "POST"));
        headers.add(new Header(":scheme", "http"));
        headers.add(new Header(":path", "/" + fullMethodName));
        headers.add(new Header(":authority", authority));
        headers.add(new Header("content-type", "application/grpc"));
        headers.add(new Header("te", "trailers"));
        headers.add(new Header("user-agent", "jctr"));
        if (timeoutNanos >= 0) {
            headers.add(new Header("grpc-timeout", timeout(timeoutNanos)));
        }
        for (String key : metadata.keys()) {
            if (RESERVED.contains(key) || key.startsWith(":")) {
                continue;
            }
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                Iterable<byte[]> values = metadata.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER));
                for (byte[] value : values == null ? List.<byte[]>of() : values) {
                    // the spec asks senders for unpadded base64
                    headers.add(new Header(key, Base64.getEncoder().withoutPadding().encodeToString(value)));
                }
            } else {
                Iterable<String> values = metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
                for (String value : values == null ? List.<String>of() : values) {
                    headers.add(new Header(key, new String(value.getBytes(StandardCharsets.US_ASCII), StandardCharsets.ISO_8859_1)));
                }
            }
        }
        return headers;
    }

    /** "TimeoutValue TimeoutUnit": at most 8 digits, in the finest unit that fits. */
    static String timeout(long nanos) {
        long n = Math.max(0, nanos);
        if (n < TIMEOUT_DIGITS_LIMIT) {
            return n + "n";
        }
        if (n < TIMEOUT_DIGITS_LIMIT * 1_000L) {
            return n / 1_000L + "u";
        }
        if (n < TIMEOUT_DIGITS_LIMIT * 1_000_000L) {
            return n / 1_000_000L + "m";
        }
        if (n < TIMEOUT_DIGITS_LIMIT * 1_000_000_000L) {
            return n / 1_000_000_000L + "S";
        }
        long minutes = n / 60_000_000_000L;
        if (minutes < TIMEOUT_DIGITS_LIMIT) {
            return minutes + "M";
        }
        return Math.min(n / 3_600_000_000_000L, TIMEOUT_DIGITS_LIMIT - 1) + "H";
    }
}
