package io.jctr.core.archive;

import io.jctr.spi.JctrException;
import java.util.ArrayList;
import java.util.List;

/**
 * Names of entries in an image archive. Archives come from anywhere: an absolute name or a
 * {@code ..} component is refused, not cleaned up, because no legitimate writer produces one.
 */
final class EntryPaths {

    private EntryPaths() {
    }

    /**
     * The entry's name relative to the archive root without {@code .} components or trailing
     * slash; empty for the root itself.
     *
     * @throws JctrException INVALID_ARGUMENT for an absolute name or a {@code ..} component
     */
    static String clean(String name) {
        if (name.startsWith("/")) {
            throw JctrException.invalidArgument("archive entry %s: absolute path", quote(name));
        }
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.equals("..")) {
                throw JctrException.invalidArgument("archive entry %s: path leaves the archive", quote(name));
            }
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    /**
     * Where a link entry at {@code entry} points to, as an archive path; symbolic links resolve
     * against the entry's directory, hard links against the root.
     *
     * @throws JctrException INVALID_ARGUMENT when the target is absolute or outside the archive
     */
    static String linkTarget(String entry, String target, boolean symbolic) {
        if (target.startsWith("/")) {
            throw JctrException.invalidArgument("archive entry %s: link to absolute path %s", quote(entry), quote(target));
        }
        List<String> parts = new ArrayList<>();
        if (symbolic) {
            String[] dir = entry.split("/");
            for (int i = 0; i < dir.length - 1; i++) {
                parts.add(dir[i]);
            }
        }
        for (String p : target.split("/")) {
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw JctrException.invalidArgument("archive entry %s: link to %s leaves the archive", quote(entry), quote(target));
                }
                parts.remove(parts.size() - 1);
            } else if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    /** {@code name} in double quotes with control characters escaped, for error messages. */
    static String quote(String name) {
        StringBuilder b = new StringBuilder("\"");
        String shown = name.length() > 200 ? name.substring(0, 200) + "..." : name;
        for (char c : shown.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
