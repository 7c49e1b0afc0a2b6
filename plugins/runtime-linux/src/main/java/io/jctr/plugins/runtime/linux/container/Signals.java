package io.jctr.plugins.runtime.linux.container;

import io.jctr.spi.JctrException;
import java.util.Locale;
import java.util.Map;

/**
 * Linux signal names and numbers (x86-64 and arm64 share them), parsed as runc's {@code kill}
 * does: a number, or a name with or without {@code SIG}, in any case.
 */
public final class Signals {

    /** SIGKILL. */
    public static final int SIGKILL = 9;
    /** SIGTERM. */
    public static final int SIGTERM = 15;

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("SIGHUP", 1), Map.entry("SIGINT", 2), Map.entry("SIGQUIT", 3),
            Map.entry("SIGILL", 4), Map.entry("SIGTRAP", 5), Map.entry("SIGABRT", 6),
            Map.entry("SIGIOT", 6), Map.entry("SIGBUS", 7), Map.entry("SIGFPE", 8),
            Map.entry("SIGKILL", 9), Map.entry("SIGUSR1", 10), Map.entry("SIGSEGV", 11),
            Map.entry("SIGUSR2", 12), Map.entry("SIGPIPE", 13), Map.entry("SIGALRM", 14),
            Map.entry("SIGTERM", 15), Map.entry("SIGSTKFLT", 16), Map.entry("SIGCHLD", 17),
            Map.entry("SIGCLD", 17), Map.entry("SIGCONT", 18), Map.entry("SIGSTOP", 19),
            Map.entry("SIGTSTP", 20), Map.entry("SIGTTIN", 21), Map.entry("SIGTTOU", 22),
            Map.entry("SIGURG", 23), Map.entry("SIGXCPU", 24), Map.entry("SIGXFSZ", 25),
            Map.entry("SIGVTALRM", 26), Map.entry("SIGPROF", 27), Map.entry("SIGWINCH", 28),
            Map.entry("SIGIO", 29), Map.entry("SIGPOLL", 29), Map.entry("SIGPWR", 30),
            Map.entry("SIGSYS", 31));

    /** The highest real-time signal number. */
    private static final int SIGRTMAX = 64;

    private Signals() {
    }

    /**
     * The signal number of {@code text}.
     *
     * @throws JctrException {@code INVALID_ARGUMENT} ({@code unknown signal "X"}) otherwise
     */
    public static int parse(String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            int n;
            try {
                n = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw unknown(text);
            }
            // 0 probes the process without signalling it (kill(2)), which runc passes on.
            if (n < 0 || n > SIGRTMAX) {
                throw unknown(text);
            }
            return n;
        }
        String name = text.toUpperCase(Locale.ROOT);
        if (!name.startsWith("SIG")) {
            name = "SIG" + name;
        }
        Integer n = BY_NAME.get(name);
        if (n == null) {
            throw unknown(text);
        }
        return n;
    }

    private static JctrException unknown(String text) {
        return JctrException.invalidArgument("unknown signal \"%s\"", text);
    }
}
