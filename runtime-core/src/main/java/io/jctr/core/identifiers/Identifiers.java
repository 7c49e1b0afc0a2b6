package io.jctr.core.identifiers;

import io.jctr.spi.JctrException;
import java.util.regex.Pattern;

/**
 * containerd's identifier rule for namespaces, leases and containers: letters and digits,
 * optionally joined by single {@code .}, {@code _} or {@code -}; at most 76 characters.
 */
public final class Identifiers {

    public static final String DEFAULT_NAMESPACE = "default";
    public static final int MAX_LENGTH = 76;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*");

    private Identifiers() {
    }

    /**
     * @param what what the identifier names, for the message: {@code namespace}, {@code lease id}
     * @throws JctrException INVALID_ARGUMENT explaining the rule
     */
    public static String validate(String what, String id) {
        if (id == null || id.isEmpty()) {
            throw JctrException.invalidArgument("%s must not be empty", what);
        }
        if (id.length() > MAX_LENGTH) {
            throw JctrException.invalidArgument("%s \"%.20s...\" is %d characters long; the limit is %d",
                    what, id, id.length(), MAX_LENGTH);
        }
        if (!ID.matcher(id).matches()) {
            throw JctrException.invalidArgument("invalid %s \"%s\": use letters and digits, "
                    + "optionally joined by single '.', '_' or '-'", what, id);
        }
        return id;
    }
}
