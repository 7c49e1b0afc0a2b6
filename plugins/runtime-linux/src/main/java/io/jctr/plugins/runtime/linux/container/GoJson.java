package io.jctr.plugins.runtime.linux.container;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;

/**
 * Jackson pretty printers that lay JSON out as Go's {@code json.MarshalIndent} does, because
 * runc's output (state, config.json, features) is read by people and by scripts that diff it:
 * {@code "key": value}, one array element per line, {@code {}} and {@code []} when empty.
 */
public final class GoJson {

    private GoJson() {
    }

    /** {@code json.MarshalIndent(v, "", indent)}. */
    public static DefaultPrettyPrinter indent(String indent) {
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter(indent, "\n"))
                .withArrayIndenter(new DefaultIndenter(indent, "\n"));
    }
}
