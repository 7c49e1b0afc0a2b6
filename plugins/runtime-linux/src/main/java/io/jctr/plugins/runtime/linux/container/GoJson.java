package io.jctr.plugins.runtime.linux.container;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The runtime's JSON, the way Go writes it: one shared mapper (a mapper is costly to build, and
 * each command is a fresh JVM) that, like Go's {@code encoding/json}, ignores unknown members of
 * the records it reads back, and pretty printers that lay JSON out as Go's
 * {@code json.MarshalIndent} does, because runc's output (state, config.json, features) is read by
 * people and by scripts that diff it: {@code "key": value}, one array element per line, {@code {}}
 * and {@code []} when empty. The spec itself is read by {@code SpecParser}'s stricter mapper.
 */
public final class GoJson {

    /** The shared mapper; thread-safe once configured, never reconfigured. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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
