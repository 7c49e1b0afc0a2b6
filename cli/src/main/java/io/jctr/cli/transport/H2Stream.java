package io.jctr.cli.transport;

/**
 * One HTTP/2 stream of an {@link H2Connection}, created before its HEADERS are sent so that a
 * call can cancel it at any moment.
 */
final class H2Stream {

    final H2Connection connection;
    final StreamHandler handler;

    /** Assigned when the HEADERS are written; 0 before. Guarded by the connection's writer. */
    int id;
    /** Reset before its HEADERS were written: they never will be. Guarded by the connection's writer. */
    boolean cancelled;

    /** How many DATA octets the peer still accepts. Guarded by the connection's monitor. */
    long sendWindow;
    /** Nothing more will be sent on it. Guarded by the connection's monitor. */
    boolean closed;

    /** Octets consumed since the last stream WINDOW_UPDATE. Guarded by this. */
    int unconfirmed;

    H2Stream(H2Connection connection, StreamHandler handler) {
        this.connection = connection;
        this.handler = handler;
    }

    /** Sends RST_STREAM(CANCEL) if the stream is open; a no-op once it has ended. */
    void cancel() {
        connection.reset(this, Http2Error.CANCEL);
    }

    /** Gives the server back flow-control window for {@code bytes} DATA octets the call consumed. */
    void consumed(int bytes) {
        connection.consumed(this, bytes);
    }
}
