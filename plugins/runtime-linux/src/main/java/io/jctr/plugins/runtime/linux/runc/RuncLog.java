package io.jctr.plugins.runtime.linux.runc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.container.GoJson;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * runc's log output (logrus): text lines {@code time="..." level=error msg="..."} or, with
 * {@code --log-format json}, one JSON object per line — containerd's shim reads the last
 * {@code error} entry of the JSON log file to report why a runc command failed. Written to
 * {@code --log} (appended) or stderr.
 */
final class RuncLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final PrintStream out;
    private final boolean json;
    private final boolean debug;

    private RuncLog(PrintStream out, boolean json, boolean debug) {
        this.out = out;
        this.json = json;
        this.debug = debug;
    }

    /** A log to {@code file} (appended) or {@code stderr} when {@code file} is {@code null}. */
    static RuncLog open(Path file, String format, boolean debug, PrintStream stderr) throws IOException {
        boolean json = switch (format) {
            case "", "text" -> false;
            case "json" -> true;
            default -> throw new IllegalArgumentException("invalid log-format: " + format);
        };
        PrintStream out = file == null ? stderr
                : new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
        return new RuncLog(out, json, debug);
    }

    /** A text log to {@code stderr}, for failures before the flags are known. */
    static RuncLog stderr(PrintStream stderr) {
        return new RuncLog(stderr, false, false);
    }

    void error(String message) {
        write("error", message);
    }

    void warn(String message) {
        write("warning", message);
    }

    void debug(String message) {
        if (debug) {
            write("debug", message);
        }
    }

    private void write(String level, String message) {
        String time = OffsetDateTime.now(ZoneOffset.UTC).withNano(0).format(TIME);
        if (json) {
            ObjectNode o = GoJson.MAPPER.createObjectNode();
            o.put("level", level);
            o.put("msg", message);
            o.put("time", time);
            out.println(o);
        } else {
            out.println("time=\"" + time + "\" level=" + level + " msg=" + quote(message));
        }
        out.flush();
    }

    /** logrus quotes a message that has spaces or quotes, with Go's escaping. */
    private static String quote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> c > ' ' && c != '"' && c != '=' && c < 127)) {
            return s;
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
