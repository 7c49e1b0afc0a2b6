package io.jctr.spi;

/**
 * An error whose {@link Kind} tells the caller what went wrong in terms every front end can map:
 * the gRPC API turns the kind into a status code, the CLI into an exit code. Plugins throw it
 * from their contract methods; the message names the object and the value involved, lower-case,
 * and ends with the kind's text the way containerd's errors do
 * ({@code snapshot "k": already exists}).
 */
public class JctrException extends RuntimeException {

    /** The classes of failure a client can act on; mirrors containerd's errdefs. */
    public enum Kind {
        INVALID_ARGUMENT("invalid argument"),
        NOT_FOUND("not found"),
        ALREADY_EXISTS("already exists"),
        FAILED_PRECONDITION("failed precondition"),
        UNAVAILABLE("unavailable"),
        OUT_OF_RANGE("out of range"),
        NOT_IMPLEMENTED("not implemented"),
        ABORTED("aborted"),
        UNKNOWN("unknown");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** The suffix containerd appends to messages of this kind. */
        public String text() {
            return text;
        }
    }

    private final Kind kind;

    public JctrException(Kind kind, String message) {
        super(withSuffix(kind, message));
        this.kind = kind;
    }

    public JctrException(Kind kind, String message, Throwable cause) {
        super(withSuffix(kind, message), cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static JctrException invalidArgument(String format, Object... args) {
        return new JctrException(Kind.INVALID_ARGUMENT, String.format(format, args));
    }

    public static JctrException notFound(String format, Object... args) {
        return new JctrException(Kind.NOT_FOUND, String.format(format, args));
    }

    public static JctrException alreadyExists(String format, Object... args) {
        return new JctrException(Kind.ALREADY_EXISTS, String.format(format, args));
    }

    public static JctrException failedPrecondition(String format, Object... args) {
        return new JctrException(Kind.FAILED_PRECONDITION, String.format(format, args));
    }

    public static JctrException unavailable(String format, Object... args) {
        return new JctrException(Kind.UNAVAILABLE, String.format(format, args));
    }

    public static JctrException outOfRange(String format, Object... args) {
        return new JctrException(Kind.OUT_OF_RANGE, String.format(format, args));
    }

    /** Whether {@code t} is a {@link JctrException} of the given kind. */
    public static boolean is(Throwable t, Kind kind) {
        return t instanceof JctrException e && e.kind == kind;
    }

    private static String withSuffix(Kind kind, String message) {
        String suffix = ": " + kind.text;
        return message.endsWith(suffix) || kind == Kind.UNKNOWN ? message : message + suffix;
    }
}
