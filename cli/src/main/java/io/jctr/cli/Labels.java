package io.jctr.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code key=value} arguments as ctr does; {@code key=} (empty value) means remove. */
final class Labels {

    private Labels() {
    }

    static Map<String, String> parse(List<String> args) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new CliException("invalid label \"" + a + "\": want key=value");
            }
            labels.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return labels;
    }

    static String format(Map<String, String> labels) {
        StringBuilder b = new StringBuilder();
        labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        });
        return b.toString();
    }
}
