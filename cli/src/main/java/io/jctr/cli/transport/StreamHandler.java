package io.jctr.cli.transport;

import io.grpc.Status;
import java.util.List;

/**
 * What a stream hears from its connection. Called on the connection's reader thread (and, for
 * {@link #streamClosed}, on whichever thread failed the connection); implementations must not
 * block. After {@code endStream} or {@link #streamClosed} nothing more arrives, except that a
 * connection failing at the same moment may still report {@link #streamClosed}.
 */
interface StreamHandler {

    void headersReceived(List<Header> headers, boolean endStream);

    /** A DATA frame's content without padding; the handler owns the array. */
    void dataReceived(byte[] data, boolean endStream);

    /** The server reset the stream, or the connection failed or was closed. */
    void streamClosed(Status status);
}
