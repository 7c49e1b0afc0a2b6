package io.jctr.plugins.runtime.linux.runc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.container.GoJson;
import io.jctr.plugins.runtime.linux.plan.MountOptions;
import io.jctr.plugins.runtime.linux.spec.Capability;
import io.jctr.plugins.runtime.linux.spec.NamespaceType;
import java.io.IOException;
import java.util.Arrays;

/**
 * {@code features}: what this runtime supports, in runc's JSON shape (the OCI runtime
 * features document), listing only what jctr really applies.
 */
final class FeaturesCommand extends RuncCommand {

    FeaturesCommand() {
        super(0, 0);
    }


    @Override
    FlagSet flags() {
        return new FlagSet();
    }

    @Override
    int run(Invocation call) throws IOException {
        ObjectMapper mapper = GoJson.MAPPER;
        ObjectNode f = mapper.createObjectNode();
        f.put("ociVersionMin", "1.0.0");
        f.put("ociVersionMax", "1.1.0");
        ArrayNode hooks = f.putArray("hooks");
        Arrays.asList("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop")
                .forEach(hooks::add);
        ArrayNode mounts = f.putArray("mountOptions");
        MountOptions.known().forEach(mounts::add);
        ObjectNode linux = f.putObject("linux");
        ArrayNode ns = linux.putArray("namespaces");
        Arrays.stream(NamespaceType.values()).map(NamespaceType::specName).sorted().forEach(ns::add);
        ArrayNode caps = linux.putArray("capabilities");
        Arrays.stream(Capability.values()).map(Enum::name).forEach(caps::add);
        linux.putObject("cgroup").put("v1", true).put("v2", true).put("systemd", false).put("systemdUser", false);
        linux.putObject("apparmor").put("enabled", true);
        linux.putObject("selinux").put("enabled", true);
        f.putObject("annotations").put("io.github.jctr.version", RuncMain.VERSION);
        call.out().println(mapper.writer(GoJson.indent("    ")).writeValueAsString(f));
        return 0;
    }
}
