package io.jctr.plugins.runtime.linux.runc;

import io.jctr.spi.JctrException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags parsed the way runc's CLI library (urfave/cli v1, Go's {@code flag}) does,
 * because scripts and containerd depend on its quirks: one or two dashes alike, {@code -f value}
 * or {@code -f=value}, booleans take no value unless written {@code -d=false}; flags may follow
 * the arguments ({@code update ID --memory 1M}: the library reorders them) except for commands
 * that pass their trailing arguments on ({@code exec ID sh -c x}: the {@code -c} belongs to the
 * container's program), where parsing stops at the first argument. {@code --} ends the flags.
 * Repeatable flags (e.g. {@code --env}) keep every value.
 */
final class FlagSet {

    private final Map<String, String> canonical = new HashMap<>();
    private final Map<String, Boolean> isBool = new HashMap<>();

    /** Declares a boolean flag; the first name is the canonical one. */
    FlagSet bool(String... names) {
        return declare(true, names);
    }

    /** Declares a flag that takes a value. */
    FlagSet value(String... names) {
        return declare(false, names);
    }

    private FlagSet declare(boolean bool, String... names) {
        for (String n : names) {
            canonical.put(n, names[0]);
        }
        isBool.put(names[0], bool);
        return this;
    }

    /**
     * Parses {@code args}.
     *
     * @throws JctrException {@code INVALID_ARGUMENT} for an undefined flag or a missing value,
     *                       worded as Go's flag package words them
     */
    Parsed parse(List<String> args) {
        return parse(args, false);
    }

    /**
     * Parses {@code args}; with {@code permute}, flags after positional arguments count too.
     *
     * @throws JctrException as {@link #parse(List)}
     */
    Parsed parse(List<String> args, boolean permute) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        int i = 0;
        while (i < args.size()) {
            String a = args.get(i);
            if (a.equals("--")) {
                i++;
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                if (!permute) {
                    break;
                }
                positional.add(a);
                i++;
                continue;
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String inline = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                inline = body.substring(eq + 1);
                body = body.substring(0, eq);
            }
            String name = canonical.get(body);
            if (name == null) {
                throw JctrException.invalidArgument("flag provided but not defined: -%s", body);
            }
            String v;
            if (isBool.get(name)) {
                v = inline == null ? "true" : inline;
                if (!v.equals("true") && !v.equals("false") && !v.equals("1") && !v.equals("0")) {
                    throw JctrException.invalidArgument("invalid boolean value \"%s\" for -%s", v, body);
                }
                v = v.equals("1") ? "true" : v.equals("0") ? "false" : v;
            } else if (inline != null) {
                v = inline;
            } else {
                if (i + 1 >= args.size()) {
                    throw JctrException.invalidArgument("flag needs an argument: -%s", body);
                }
                v = args.get(++i);
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
            i++;
        }
        positional.addAll(args.subList(i, args.size()));
        return new Parsed(values, List.copyOf(positional));
    }

    /** Parsed flags and the positional arguments after them. */
    record Parsed(Map<String, List<String>> values, List<String> args) {

        /** Whether a boolean flag is set (true). */
        boolean has(String name) {
            List<String> v = values.get(name);
            return v != null && v.get(v.size() - 1).equals("true");
        }

        /** Whether the flag appeared at all. */
        boolean given(String name) {
            return values.containsKey(name);
        }

        /** The last value of a flag, or {@code fallback}. */
        String get(String name, String fallback) {
            List<String> v = values.get(name);
            return v == null ? fallback : v.get(v.size() - 1);
        }

        /** Every value of a repeatable flag, in order. */
        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }

        /** The argument at {@code index}. */
        String arg(int index) {
            return args.get(index);
        }
    }
}
