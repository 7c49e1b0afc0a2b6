package io.jctr.core.filters;

import io.jctr.spi.JctrException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses containerd's filter syntax. Several filter strings are OR-ed; within one string the
 * comma-separated selectors are AND-ed; an empty string matches everything. Values may be bare
 * (up to the next comma) or quoted with {@code "} (backslash escapes); a {@code ~=} regular
 * expression may also be quoted with {@code /}. Errors are INVALID_ARGUMENT with the position.
 */
public final class FilterParser {

    private final String input;
    private int pos;

    private FilterParser(String input) {
        this.input = input;
    }

    public static Filter parse(List<String> filters) {
        List<List<Filter.Selector>> alternatives = new ArrayList<>();
        for (String f : filters) {
            if (f.isBlank()) {
                return Filter.ALL; // one empty alternative matches everything
            }
            alternatives.add(new FilterParser(f).conjunction());
        }
        return new Filter(alternatives);
    }

    public static Filter parse(String... filters) {
        return parse(List.of(filters));
    }

    private List<Filter.Selector> conjunction() {
        List<Filter.Selector> selectors = new ArrayList<>();
        while (true) {
            skipSpaces();
            selectors.add(selector());
            skipSpaces();
            if (pos == input.length()) {
                return selectors;
            }
            expect(',');
        }
    }

    private Filter.Selector selector() {
        List<String> path = new ArrayList<>();
        path.add(field());
        while (peek() == '.') {
            pos++;
            path.add(field());
        }
        skipSpaces();
        if (pos == input.length() || peek() == ',') {
            return new Filter.Selector(path, Filter.Op.PRESENT, null, null);
        }
        Filter.Op op;
        if (input.startsWith("==", pos)) {
            op = Filter.Op.EQUAL;
        } else if (input.startsWith("!=", pos)) {
            op = Filter.Op.NOT_EQUAL;
        } else if (input.startsWith("~=", pos)) {
            op = Filter.Op.MATCHES;
        } else {
            throw error("expected an operator (==, != or ~=)");
        }
        pos += 2;
        skipSpaces();
        String value = value(op == Filter.Op.MATCHES);
        Pattern regex = null;
        if (op == Filter.Op.MATCHES) {
            try {
                regex = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw error("invalid regular expression \"" + value + "\"");
            }
        }
        return new Filter.Selector(path, op, value, regex);
    }

    private String field() {
        if (peek() == '"') {
            return quoted('"');
        }
        int start = pos;
        while (pos < input.length()) {
            char c = input.charAt(pos);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '/')) {
                break;
            }
            pos++;
        }
        if (start == pos) {
            throw error("expected a field name");
        }
        return input.substring(start, pos);
    }

    private String value(boolean regex) {
        char c = peek();
        if (c == '"' || (regex && c == '/')) {
            return quoted(c);
        }
        int start = pos;
        while (pos < input.length() && input.charAt(pos) != ',') {
            pos++;
        }
        String v = input.substring(start, pos).trim();
        if (v.isEmpty()) {
            throw error("expected a value");
        }
        return v;
    }

    private String quoted(char quote) {
        int start = pos;
        pos++;
        StringBuilder b = new StringBuilder();
        while (pos < input.length()) {
            char c = input.charAt(pos++);
            if (c == quote) {
                return b.toString();
            }
            if (c == '\\' && pos < input.length()) {
                char next = input.charAt(pos++);
                b.append(quote == '/' && next != '/' ? "\\" + next : String.valueOf(next));
            } else {
                b.append(c);
            }
        }
        pos = start;
        throw error("unterminated quoted string");
    }

    private char peek() {
        return pos < input.length() ? input.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpaces() {
        while (pos < input.length() && input.charAt(pos) == ' ') {
            pos++;
        }
    }

    private JctrException error(String what) {
        return JctrException.invalidArgument("invalid filter \"%s\" at position %d: %s", input, pos, what);
    }
}
