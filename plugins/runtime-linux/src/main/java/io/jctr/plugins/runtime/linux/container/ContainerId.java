package io.jctr.plugins.runtime.linux.container;

import io.jctr.spi.JctrException;
import java.util.regex.Pattern;

/**
 * Container ids as runc accepts them: letters, digits, {@code _ + - .}, at most 1024 bytes, and
 * never {@code .} or {@code ..} — an id names a directory under the state root, so anything
 * else could step out of it.
 */
public final class ContainerId {

    private static final Pattern VALID = Pattern.compile("[\\w+\\-.]+");

    private ContainerId() {
    }

    /**
     * Returns {@code id} if it is valid.
     *
     * @throws JctrException {@code INVALID_ARGUMENT} naming the id and the rule it breaks
     */
    public static String check(String id) {
        if (id == null || id.isEmpty()) {
            throw JctrException.invalidArgument("container id cannot be empty");
        }
        if (id.length() > 1024) {
            throw JctrException.invalidArgument("invalid container id %.40s...: longer than 1024 characters", id);
        }
        if (id.equals(".") || id.equals("..") || !VALID.matcher(id).matches()) {
            throw JctrException.invalidArgument(
                    "invalid container id %s: only letters, digits and _ + - . are allowed, and not . or ..",
                    quote(id));
        }
        return id;
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
