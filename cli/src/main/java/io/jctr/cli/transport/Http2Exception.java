package io.jctr.cli.transport;

/** A connection error (RFC 7540 §5.4.1): the connection sends GOAWAY with the code and closes. */
final class Http2Exception extends Exception {

    private static final long serialVersionUID = 1L;

    private final Http2Error error;

    Http2Exception(Http2Error error, String message) {
        super(message);
        this.error = error;
    }

    Http2Error error() {
        return error;
    }
}
