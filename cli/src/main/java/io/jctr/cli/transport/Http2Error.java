package io.jctr.cli.transport;

import io.grpc.Status;

/**
 * HTTP/2 error codes (RFC 7540 §7) and the gRPC status each one maps to, as the gRPC HTTP/2
 * protocol document and grpc-java map them.
 */
enum Http2Error {
    NO_ERROR(Status.Code.UNAVAILABLE),
    PROTOCOL_ERROR(Status.Code.INTERNAL),
    INTERNAL_ERROR(Status.Code.INTERNAL),
    FLOW_CONTROL_ERROR(Status.Code.INTERNAL),
    SETTINGS_TIMEOUT(Status.Code.INTERNAL),
    STREAM_CLOSED(Status.Code.INTERNAL),
    FRAME_SIZE_ERROR(Status.Code.INTERNAL),
    REFUSED_STREAM(Status.Code.UNAVAILABLE),
    CANCEL(Status.Code.CANCELLED),
    COMPRESSION_ERROR(Status.Code.INTERNAL),
    CONNECT_ERROR(Status.Code.INTERNAL),
    ENHANCE_YOUR_CALM(Status.Code.RESOURCE_EXHAUSTED),
    INADEQUATE_SECURITY(Status.Code.PERMISSION_DENIED),
    HTTP_1_1_REQUIRED(Status.Code.UNKNOWN);

    private static final Http2Error[] BY_CODE = values();

    private final Status.Code grpcCode;

    Http2Error(Status.Code grpcCode) {
        this.grpcCode = grpcCode;
    }

    /** The code on the wire: the declaration order is the numbering of RFC 7540 §7. */
    int code() {
        return ordinal();
    }

    /** The status a call ends with when the peer sends {@code code}; {@code what} says where. */
    static Status status(long code, String what) {
        if (code >= 0 && code < BY_CODE.length) {
            Http2Error e = BY_CODE[(int) code];
            return Status.fromCode(e.grpcCode).withDescription(what + " (http/2 error " + e.name() + ")");
        }
        return Status.UNKNOWN.withDescription(what + " (unknown http/2 error code " + code + ")");
    }
}
