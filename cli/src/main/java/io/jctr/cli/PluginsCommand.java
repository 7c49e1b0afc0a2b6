package io.jctr.cli;

import io.jctr.api.services.introspection.v1.IntrospectionGrpc;
import io.jctr.api.services.introspection.v1.Plugin;
import io.jctr.api.services.introspection.v1.PluginsRequest;
import io.jctr.api.types.Platform;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jctr plugins ls}: every plugin of the daemon with its status, as {@code ctr plugins ls}. */
@Command(name = "plugins", aliases = "plugin", description = "Inspect the daemon's plugins",
        subcommands = PluginsCommand.List.class)
class PluginsCommand {

    @Command(name = "ls", aliases = "list", description = "List plugins: type, id, platforms, status")
    static class List implements Runnable {

        @Spec
        CommandSpec spec;

        @Mixin
        OutputFormat output;

        @Option(names = {"-d", "--detailed"}, description = "show requirements, exports and errors")
        boolean detailed;

        @Parameters(paramLabel = "FILTER", arity = "0..*",
                description = "containerd filters, e.g. type==io.jctr.grpc.v1 or id~=name")
        java.util.List<String> filters = new ArrayList<>();

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                java.util.List<Plugin> plugins = IntrospectionGrpc.newBlockingStub(api.channel())
                        .withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS)
                        .plugins(PluginsRequest.newBuilder().addAllFilters(filters).build()).getPluginsList();
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    java.util.List<Object> all = new ArrayList<>();
                    plugins.forEach(p -> all.add(json(p)));
                    out.println(JsonWriter.write(all));
                    out.flush();
                } else if (detailed) {
                    printDetailed(out, plugins);
                } else {
                    Table t = new Table("TYPE", "ID", "PLATFORMS", "STATUS");
                    plugins.forEach(p -> t.row(p.getType(), p.getId(), platforms(p), status(p)));
                    t.print(out);
                }
            }
        }

        private static void printDetailed(PrintWriter out, java.util.List<Plugin> plugins) {
            for (Plugin p : plugins) {
                out.println("Type:          " + p.getType());
                out.println("ID:            " + p.getId());
                out.println("Status:        " + status(p));
                if (p.getRequiresCount() > 0) {
                    out.println("Requires:      " + String.join(", ", p.getRequiresList()));
                }
                out.println("Platforms:     " + platforms(p));
                p.getExportsMap().forEach((k, v) -> out.println("Exports:       " + k + "=" + v));
                if (p.getCapabilitiesCount() > 0) {
                    out.println("Capabilities:  " + String.join(", ", p.getCapabilitiesList()));
                }
                if (p.hasInitErr()) {
                    out.println("Error:         " + p.getInitErr().getMessage());
                }
                out.println();
            }
            out.flush();
        }

        private static Map<String, Object> json(Plugin p) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", p.getType());
            m.put("id", p.getId());
            m.put("status", status(p));
            m.put("requires", p.getRequiresList());
            m.put("platforms", p.getPlatformsList().stream().map(PluginsCommand::platform).toList());
            m.put("exports", p.getExportsMap());
            m.put("capabilities", p.getCapabilitiesList());
            if (p.hasInitErr()) {
                m.put("error", p.getInitErr().getMessage());
            }
            return m;
        }
    }

    /** ctr's rule: no error is ok, an error saying "skip plugin" is skip, anything else error. */
    static String status(Plugin p) {
        if (!p.hasInitErr()) {
            return "ok";
        }
        return p.getInitErr().getMessage().contains("skip plugin") ? "skip" : "error";
    }

    static String platforms(Plugin p) {
        java.util.List<String> out = new ArrayList<>();
        p.getPlatformsList().forEach(pl -> out.add(platform(pl)));
        return out.isEmpty() ? "-" : String.join(",", out);
    }

    static String platform(Platform pl) {
        return pl.getOs() + "/" + pl.getArchitecture() + (pl.getVariant().isEmpty() ? "" : "/" + pl.getVariant());
    }
}
