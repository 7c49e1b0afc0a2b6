package io.jctr.cli;

import java.util.Collection;
import java.util.Map;

/**
 * Writes JSON for {@code --format json} from maps, collections, strings, numbers and booleans.
 * Small on purpose: a general JSON library would cost the CLI more start-up time than it saves.
 */
final class JsonWriter {

    private JsonWriter() {
    }

    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, b, "");
        return b.toString();
    }

    /** {@code value} on one line, without spaces: {@code {"id":"c1","pid":42}}, as ctr prints event payloads. */
    static String line(Object value) {
        StringBuilder b = new StringBuilder();
        line(value, b);
        return b.toString();
    }

    private static void line(Object v, StringBuilder b) {
        if (v instanceof Map<?, ?> m) {
            b.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (i++ > 0) {
                    b.append(',');
                }
                string(String.valueOf(e.getKey()), b);
                b.append(':');
                line(e.getValue(), b);
            }
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            int i = 0;
            for (Object o : c) {
                if (i++ > 0) {
                    b.append(',');
                }
                line(o, b);
            }
            b.append(']');
        } else {
            write(v, b, "");
        }
    }

    private static void write(Object v, StringBuilder b, String indent) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(s, b);
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                b.append("{}");
                return;
            }
            String inner = indent + "  ";
            b.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(inner);
                string(String.valueOf(e.getKey()), b);
                b.append(": ");
                write(e.getValue(), b, inner);
                b.append(++i < m.size() ? ",\n" : "\n");
            }
            b.append(indent).append('}');
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                b.append("[]");
                return;
            }
            String inner = indent + "  ";
            b.append("[\n");
            int i = 0;
            for (Object o : c) {
                b.append(inner);
                write(o, b, inner);
                b.append(++i < c.size() ? ",\n" : "\n");
            }
            b.append(indent).append(']');
        } else {
            string(v.toString(), b);
        }
    }

    private static void string(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
