package io.jctr.core.run;

import io.jctr.spi.JctrException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A process's uid, gid and additional gids, resolved from a user string through the image's
 * {@code /etc/passwd} and {@code /etc/group} as containerd's {@code oci.WithUser} and
 * {@code WithAdditionalGIDs} do: {@code name|uid[:group|gid]}; a numeric uid missing from
 * passwd runs with gid 0; the additional gids are the primary gid followed by the groups that
 * list the user as a member.
 */
public record ProcessUser(long uid, long gid, List<Long> additionalGids) {

    public ProcessUser {
        additionalGids = List.copyOf(additionalGids);
    }

    /**
     * @param spec   the user string; empty means root
     * @param option what to name in an error, e.g. {@code --user} or {@code image config User}
     * @param passwd the image's /etc/passwd, empty when it has none
     * @param group  the image's /etc/group, empty when it has none
     * @throws JctrException INVALID_ARGUMENT naming {@code option} for an unknown user or group or a malformed value
     */
    public static ProcessUser resolve(String spec, String option, String passwd, String group) {
        String userPart = spec.isEmpty() ? "0" : spec;
        String groupPart = null;
        int colon = userPart.indexOf(':');
        if (colon >= 0) {
            groupPart = userPart.substring(colon + 1);
            userPart = userPart.substring(0, colon);
            if (userPart.isEmpty() || groupPart.isEmpty()) {
                throw JctrException.invalidArgument("%s \"%s\": want name|uid[:group|gid]", option, spec);
            }
        }
        List<String[]> users = entries(passwd, 7);
        List<String[]> groups = entries(group, 4);
        long uid;
        long gid = 0;
        String name = null;
        Long numericUid = number(userPart, option, spec);
        String[] entry = find(users, numericUid == null ? 0 : 2, numericUid == null ? userPart : Long.toString(numericUid));
        if (numericUid != null) {
            uid = numericUid;
        } else if (entry == null) {
            throw JctrException.invalidArgument("%s \"%s\": no user \"%s\" in the image's /etc/passwd", option, spec, userPart);
        } else {
            uid = parseId(entry[2], "/etc/passwd", userPart);
        }
        if (entry != null) {
            name = entry[0];
            gid = parseId(entry[3], "/etc/passwd", name);
        }
        if (groupPart != null) {
            Long numericGid = number(groupPart, option, spec);
            if (numericGid != null) {
                gid = numericGid;
            } else {
                String[] g = find(groups, 0, groupPart);
                if (g == null) {
                    throw JctrException.invalidArgument("%s \"%s\": no group \"%s\" in the image's /etc/group", option, spec, groupPart);
                }
                gid = parseId(g[2], "/etc/group", groupPart);
            }
        }
        Set<Long> extra = new LinkedHashSet<>();
        extra.add(gid);
        if (name != null) {
            for (String[] g : groups) {
                if (!g[0].equals(name) && List.of(g[3].split(",")).contains(name)) {
                    extra.add(parseId(g[2], "/etc/group", g[0]));
                }
            }
        }
        return new ProcessUser(uid, gid, new ArrayList<>(extra));
    }

    /** A uid or gid given as a number, or null for a name. */
    private static Long number(String s, String option, String spec) {
        if (!s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        try {
            long v = Long.parseLong(s);
            if (v > 0xFFFFFFFFL) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw JctrException.invalidArgument("%s \"%s\": %s is out of range", option, spec, s);
        }
    }

    private static long parseId(String s, String file, String entry) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw JctrException.invalidArgument("the image's %s: entry \"%s\" has a malformed id \"%s\"", file, entry, s);
        }
    }

    private static String[] find(List<String[]> entries, int field, String value) {
        for (String[] e : entries) {
            if (e[field].equals(value)) {
                return e;
            }
        }
        return null;
    }

    /** The colon-separated lines of a passwd or group file, padded to {@code fields}; comments and short lines skipped. */
    private static List<String[]> entries(String file, int fields) {
        List<String[]> out = new ArrayList<>();
        for (String line : file.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":", -1);
            if (parts.length < 3) {
                continue;
            }
            String[] padded = new String[Math.max(fields, parts.length)];
            for (int i = 0; i < padded.length; i++) {
                padded[i] = i < parts.length ? parts[i] : "";
            }
            out.add(padded);
        }
        return out;
    }
}
