package io.jctr.core.diff;

import io.jctr.spi.JctrException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lexical rules for names inside a layer: cleaning entry names into root-relative components,
 * validating hard link targets, recognising whiteouts, and quoting names for error messages.
 */
final class EntryNames {

    static final String WHITEOUT_PREFIX = ".wh.";
    static final String WHITEOUT_META_PREFIX = ".wh..wh.";
    static final String OPAQUE_WHITEOUT = ".wh..wh..opq";

    private EntryNames() {
    }

    /**
     * The components of {@code name} relative to the root: leading {@code /} and {@code ./} go,
     * {@code .} and empty components go, {@code ..} removes the previous component and is dropped
     * at the top, so the result never climbs above the root (containerd's {@code Clean("/" + name)}).
     * An empty list means the root itself.
     */
    static List<String> clean(String name) {
        rejectNul(name, name);
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.equals("..")) {
                if (!out.isEmpty()) {
                    out.remove(out.size() - 1);
                }
            } else if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The components of hard link target {@code linkName} of entry {@code entry}; rejected when it
     * is absolute or climbs above the root, since a well-formed layer only links to its own entries.
     */
    static List<String> hardLinkTarget(String entry, String linkName) {
        rejectNul(entry, linkName);
        if (linkName.startsWith("/")) {
            throw escapes(entry, linkName);
        }
        List<String> out = new ArrayList<>();
        for (String c : linkName.split("/")) {
            if (c.equals("..")) {
                if (out.isEmpty()) {
                    throw escapes(entry, linkName);
                }
                out.remove(out.size() - 1);
            } else if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    /** Whether {@code component} is a whiteout marker (of a name, opaque, or AUFS metadata). */
    static boolean isWhiteout(String component) {
        return component.startsWith(WHITEOUT_PREFIX);
    }

    /** Whether any of {@code components} is a whiteout: nothing below a whiteout is real content. */
    static boolean anyWhiteout(List<String> components) {
        return components.stream().anyMatch(EntryNames::isWhiteout);
    }

    /** {@code s} in double quotes with quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The error for any entry that cannot be applied, naming it. */
    static JctrException invalid(String entry, String problem) {
        return JctrException.invalidArgument("layer entry %s: %s", quote(entry), problem);
    }

    private static JctrException escapes(String entry, String linkName) {
        return JctrException.invalidArgument("hard link %s -> %s escapes the root", quote(entry), quote(linkName));
    }

    private static void rejectNul(String entry, String value) {
        if (value.indexOf('\0') >= 0) {
            throw invalid(entry, "name " + quote(value) + " contains a NUL byte");
        }
    }
}
