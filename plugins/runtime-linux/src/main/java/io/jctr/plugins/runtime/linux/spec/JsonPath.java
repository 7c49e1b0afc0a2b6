package io.jctr.plugins.runtime.linux.spec;

import java.util.regex.Pattern;

/**
 * Builds the JSON paths that name a spec field in error messages: {@code root.path},
 * {@code linux.namespaces[2].type}, {@code linux.sysctl["net.ipv4.ip_forward"]}. A key that is an
 * identifier is appended with a dot, any other key (dots, dashes, empty) in brackets and quotes,
 * so a path is never ambiguous.
 */
public final class JsonPath {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JsonPath() {
    }

    /** {@code parent.key}, or {@code parent["key"]} when the key is not an identifier. */
    public static String key(String parent, String key) {
        if (IDENTIFIER.matcher(key).matches()) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
        return parent + "[" + quote(key) + "]";
    }

    /** {@code parent[index]}. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** {@code s} in double quotes with JSON escapes, the way messages show values. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
