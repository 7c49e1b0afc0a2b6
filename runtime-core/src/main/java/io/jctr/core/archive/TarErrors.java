package io.jctr.core.archive;

import java.util.Locale;

/** commons-compress's tar error messages in this codebase's style: lower case, no trailing period. */
final class TarErrors {

    private TarErrors() {
    }

    static String describe(String message) {
        String m = message == null ? "unreadable header" : message.trim();
        while (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        return m.toLowerCase(Locale.ROOT);
    }
}
