package io.jctr.core.config;

import java.util.Locale;
import java.util.logging.Level;

/** The daemon's {@code --log-level} words (containerd's) and their java.util.logging levels. */
public final class LogLevels {

    private LogLevels() {
    }

    /** @throws IllegalArgumentException when the word is not one of trace, debug, info, warn, error */
    public static Level parse(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.FINEST;
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warn", "warning" -> Level.WARNING;
            case "error", "fatal", "panic" -> Level.SEVERE;
            default -> throw new IllegalArgumentException("invalid log level \"" + word + "\": use trace, debug, info, warn or error");
        };
    }
}
