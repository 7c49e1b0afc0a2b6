package io.jctr.core.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme ({@code bearer},
 * {@code basic}, lower-cased) and its parameters (names lower-cased, quoted values unescaped),
 * e.g. {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"}.
 */
public record AuthChallenge(String scheme, Map<String, String> params) {

    public AuthChallenge {
        params = Map.copyOf(params);
    }

    public String param(String name) {
        return params.getOrDefault(name, "");
    }

    /**
     * Every challenge in a header value, in order. Malformed parts are skipped rather than
     * failing the whole header: a registry's odd header should not hide a usable challenge.
     */
    public static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        Cursor c = new Cursor(header);
        String scheme = null;
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
            c.skip(" \t,");
            if (c.end()) {
                break;
            }
            String token = c.token();
            if (token.isEmpty()) {
                c.pos++; // not a token character: skip it
                continue;
            }
            c.skip(" \t");
            if (!c.end() && c.peek() == '=' && scheme != null) {
                c.pos++;
                c.skip(" \t");
                String value = !c.end() && c.peek() == '"' ? c.quoted() : c.token();
                params.put(token.toLowerCase(Locale.ROOT), value);
            } else {
                if (scheme != null) {
                    out.add(new AuthChallenge(scheme, params));
                }
                scheme = token.toLowerCase(Locale.ROOT);
                params = new LinkedHashMap<>();
                if (!c.end() && c.peek() == '=') { // token68 (e.g. "Negotiate abc=="): not used by registries
                    while (!c.end() && c.peek() == '=') {
                        c.pos++;
                    }
                }
            }
        }
        if (scheme != null) {
            out.add(new AuthChallenge(scheme, params));
        }
        return out;
    }

    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        boolean end() {
            return pos >= s.length();
        }

        char peek() {
            return s.charAt(pos);
        }

        void skip(String chars) {
            while (!end() && chars.indexOf(peek()) >= 0) {
                pos++;
            }
        }

        String token() {
            int start = pos;
            while (!end() && isTokenChar(peek())) {
                pos++;
            }
            return s.substring(start, pos);
        }

        String quoted() {
            StringBuilder b = new StringBuilder();
            pos++; // opening quote
            while (!end() && peek() != '"') {
                if (peek() == '\\' && pos + 1 < s.length()) {
                    pos++;
                }
                b.append(peek());
                pos++;
            }
            pos++; // closing quote, if any
            return b.toString();
        }

        private static boolean isTokenChar(char ch) {
            return ch > 32 && ch < 127 && "()<>@,;:\\\"/[]?={} \t".indexOf(ch) < 0 || ch == '/' || ch == ':';
        }
    }
}
