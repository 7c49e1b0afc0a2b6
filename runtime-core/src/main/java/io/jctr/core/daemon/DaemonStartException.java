package io.jctr.core.daemon;

/** The daemon cannot start; the message says why and what to do, in one line. */
public final class DaemonStartException extends RuntimeException {

    public DaemonStartException(String message) {
        super(message);
    }

    public DaemonStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
