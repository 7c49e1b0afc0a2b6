package io.jctr.plugins.runtime.linux.runc;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code spec [--rootless] [--bundle DIR]}: writes {@link DefaultSpec} as config.json. */
final class SpecCommand implements RuncCommand {

    /** Go's {@code json.MarshalIndent(v, "", "\t")}, which runc uses for config.json. */
    private static final DefaultPrettyPrinter TABS = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("\t", "\n"))
            .withArrayIndenter(new DefaultIndenter("\t", "\n"));

    @Override
    public FlagSet flags() {
        return new FlagSet().value("bundle", "b").bool("rootless");
    }

    @Override
    public int minArgs() {
        return 0;
    }

    @Override
    public int maxArgs() {
        return 0;
    }

    @Override
    public int run(Invocation call) throws IOException {
        Path bundle = Path.of(call.flags().get("bundle", ""));
        Path config = bundle.resolve("config.json");
        if (Files.exists(config)) {
            throw JctrException.alreadyExists("File config.json exists. Remove it first");
        }
        var owner = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        var group = Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        var spec = DefaultSpec.build(call.flags().has("rootless"), ((Number) owner).longValue(),
                ((Number) group).longValue());
        Files.writeString(config, new ObjectMapper().writer(TABS).writeValueAsString(spec));
        return 0;
    }
}
