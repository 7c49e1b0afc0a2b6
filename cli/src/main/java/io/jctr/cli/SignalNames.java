package io.jctr.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers (x86-64 and arm64 share them), for {@code tasks kill -s} and the stop-signal label. */
final class SignalNames {

    private static final Map<String, Integer> NUMBERS = numbers();

    private SignalNames() {
    }

    private static Map<String, Integer> numbers() {
        String[] names = {"HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM",
            "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO",
            "PWR", "SYS"};
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], i + 1);
        }
        return m;
    }

    /**
     * The number of {@code SIGTERM}, {@code TERM}, {@code term} or {@code 15}.
     *
     * @throws CliException naming the value when it is none of these
     */
    static int parse(String value, String what) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 64) {
                return n;
            }
        }
        Integer n = NUMBERS.get(v.startsWith("SIG") ? v.substring(3) : v);
        if (n == null) {
            throw new CliException(what + " " + value + ": not a signal (e.g. SIGTERM, KILL or 9)");
        }
        return n;
    }
}
