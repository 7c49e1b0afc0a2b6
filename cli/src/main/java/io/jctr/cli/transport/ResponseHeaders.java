package io.jctr.cli.transport;

import io.grpc.Metadata;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Reads a gRPC response's HTTP/2 headers and trailers ("Responses" in gRPC's PROTOCOL-HTTP2.md). */
final class ResponseHeaders {

    private ResponseHeaders() {
    }

    /** Null when the response headers open a gRPC response, else the status the call fails with. */
    static Status check(List<Header> headers) {
        String status = value(headers, ":status");
        if (!"200".equals(status)) {
            return httpStatus(status);
        }
        String contentType = value(headers, "content-type");
        if (!isGrpc(contentType)) {
            return Status.UNKNOWN.withDescription("invalid content-type in the response: " + contentType);
        }
        return null;
    }

    /** The call's status from trailers, or from the only HEADERS of a trailers-only response. */
    static Status status(List<Header> trailers, boolean trailersOnly) {
        String code = value(trailers, "grpc-status");
        if (code == null) {
            Status invalid = trailersOnly ? check(trailers) : null;
            return invalid != null ? invalid : Status.UNKNOWN.withDescription("missing grpc-status in the response trailers");
        }
        Status status;
        try {
            status = Status.fromCodeValue(Integer.parseInt(code));
        } catch (NumberFormatException e) {
            return Status.UNKNOWN.withDescription("invalid grpc-status in the response trailers: " + code);
        }
        String message = value(trailers, "grpc-message");
        return message == null ? status : status.withDescription(percentDecode(message));
    }

    /** Everything but pseudo-headers, grpc-status and grpc-message, as gRPC metadata. */
    static Metadata metadata(List<Header> headers) {
        Metadata metadata = new Metadata();
        for (Header h : headers) {
            String name = h.name();
            if (name.startsWith(":") || name.equals("grpc-status") || name.equals("grpc-message")) {
                continue;
            }
            try {
                if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                    Metadata.Key<byte[]> key = Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER);
                    for (String part : h.value().split(",")) {
                        // the spec lets senders pad or not; java's decoder takes both
                        metadata.put(key, Base64.getDecoder().decode(part.trim()));
                    }
                } else {
                    metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), h.value());
                }
            } catch (IllegalArgumentException e) {
                // a name gRPC does not allow, or bad base64: not metadata a caller could use
            }
        }
        return metadata;
    }

    /** grpc-message is percent-encoded UTF-8; a malformed escape is kept as it is. */
    static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
            if (c == '%' && lo >= 0) {
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isGrpc(String contentType) {
        if (contentType == null || !contentType.startsWith("application/grpc")) {
            return false;
        }
        int n = "application/grpc".length();
        return contentType.length() == n || contentType.charAt(n) == '+' || contentType.charAt(n) == ';';
    }

    /** The mapping of gRPC's http-grpc-status-mapping.md, for responses that are not gRPC. */
    private static Status httpStatus(String status) {
        int code;
        try {
            code = Integer.parseInt(status);
        } catch (NumberFormatException e) {
            return Status.INTERNAL.withDescription("invalid :status in the response: " + status);
        }
        Status mapped = switch (code) {
            case 400 -> Status.INTERNAL;
            case 401 -> Status.UNAUTHENTICATED;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.UNIMPLEMENTED;
            case 429, 502, 503, 504 -> Status.UNAVAILABLE;
            default -> Status.UNKNOWN;
        };
        return mapped.withDescription("HTTP status code " + code);
    }

    private static String value(List<Header> headers, String name) {
        for (Header h : headers) {
            if (h.name().equals(name)) {
                return h.value();
            }
        }
        return null;
    }
}
