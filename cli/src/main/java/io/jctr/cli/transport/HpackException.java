package io.jctr.cli.transport;

/** A header block that does not decode: an HTTP/2 COMPRESSION_ERROR (RFC 7540 §4.3). */
final class HpackException extends Exception {

    private static final long serialVersionUID = 1L;

    HpackException(String message) {
        super(message);
    }
}
