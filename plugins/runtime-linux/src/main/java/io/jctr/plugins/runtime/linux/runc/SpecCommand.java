package io.jctr.plugins.runtime.linux.runc;

import io.jctr.plugins.runtime.linux.container.GoJson;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code spec [--rootless] [--bundle DIR]}: writes {@link DefaultSpec} as config.json. */
final class SpecCommand extends RuncCommand {

    SpecCommand() {
        super(0, 0);
    }


    @Override
    FlagSet flags() {
        return new FlagSet().value("bundle", "b").bool("rootless");
    }

    @Override
    int run(Invocation call) throws IOException {
        Path bundle = call.path(call.flags().get("bundle", ""));
        Path config = bundle.resolve("config.json");
        if (Files.exists(config)) {
            throw JctrException.alreadyExists("File config.json exists. Remove it first");
        }
        var owner = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        var group = Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        var spec = DefaultSpec.build(call.flags().has("rootless"), ((Number) owner).longValue(),
                ((Number) group).longValue());
        Files.writeString(config, GoJson.MAPPER.writer(GoJson.indent("\t")).writeValueAsString(spec));
        return 0;
    }
}
