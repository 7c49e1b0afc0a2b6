package io.jctr.plugins.runtime.linux.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CRIU's own words for a failure, from its log: lines like
 * {@code (00.292014) Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds}. The first
 * error is the cause; the ones after it are CRIU unwinding ("Failed to fill self vdso symtable",
 * "Could not initialize kernel features detection"), so only the first is kept for a one-line
 * message. Stateless.
 */
final class CriuLog {

    private static final Pattern ERROR = Pattern.compile("^\\([ 0-9.:]+\\) Error \\([^)]*\\): (.*)$");

    private CriuLog() {
    }

    /** Every error message in {@code log}, in order; empty when it has none or cannot be read. */
    static List<String> errors(Path log) {
        List<String> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return out;
        }
        for (String line : lines) {
            Matcher m = ERROR.matcher(line);
            if (m.matches() && !m.group(1).isBlank()) {
                out.add(m.group(1).strip());
            }
        }
        return out;
    }

    /** The first error in {@code log}, or {@code null}. */
    static String firstError(Path log) {
        List<String> errors = errors(log);
        return errors.isEmpty() ? null : errors.get(0);
    }
}
