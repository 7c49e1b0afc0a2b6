package io.jctr.cli;

import io.jctr.api.services.leases.v1.CreateRequest;
import io.jctr.api.services.leases.v1.DeleteRequest;
import io.jctr.api.services.leases.v1.Lease;
import io.jctr.api.services.leases.v1.LeasesGrpc;
import io.jctr.api.services.leases.v1.ListRequest;
import java.io.PrintWriter;
import java.time.Instant;
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

/** {@code jctr leases ls|create|rm}, as {@code ctr leases}. */
@Command(name = "leases", aliases = "lease", description = "Manage leases (they protect resources from garbage collection)",
        subcommands = {LeasesCommand.Ls.class, LeasesCommand.Create.class, LeasesCommand.Rm.class})
class LeasesCommand {

    static LeasesGrpc.LeasesBlockingStub stub(ApiClient api) {
        return LeasesGrpc.newBlockingStub(api.channel()).withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS);
    }

    static String created(Lease l) {
        return Instant.ofEpochSecond(l.getCreatedAt().getSeconds(), l.getCreatedAt().getNanos()).toString();
    }

    @Command(name = "ls", aliases = "list", description = "List leases")
    static class Ls implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        OutputFormat output;

        @Option(names = {"-q", "--quiet"}, description = "print only the ids")
        boolean quiet;

        @Parameters(paramLabel = "FILTER", arity = "0..*", description = "containerd filters, e.g. id==l1")
        List<String> filters = new ArrayList<>();

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                List<Lease> all = stub(api).list(ListRequest.newBuilder().addAllFilters(filters).build()).getLeasesList();
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    List<Object> rows = new ArrayList<>();
                    for (Lease l : all) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("id", l.getId());
                        m.put("created_at", created(l));
                        m.put("labels", l.getLabelsMap());
                        rows.add(m);
                    }
                    out.println(JsonWriter.write(rows));
                    out.flush();
                } else if (quiet) {
                    all.forEach(l -> out.println(l.getId()));
                    out.flush();
                } else {
                    Table t = new Table("ID", "CREATED AT", "LABELS");
                    all.forEach(l -> t.row(l.getId(), created(l), Labels.format(l.getLabelsMap())));
                    t.print(out);
                }
            }
        }
    }

    @Command(name = "create", description = "Create a lease")
    static class Create implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--id", description = "the lease id (default: generated)")
        String id = "";

        @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "labels")
        List<String> labels = new ArrayList<>();

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                Lease l = stub(api).create(CreateRequest.newBuilder().setId(id).putAllLabels(Labels.parse(labels)).build()).getLease();
                spec.commandLine().getOut().println(l.getId());
                spec.commandLine().getOut().flush();
            }
        }
    }

    @Command(name = "rm", aliases = {"remove", "delete"}, description = "Remove leases")
    static class Rm implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "ID")
        List<String> ids;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                for (String id : ids) {
                    stub(api).delete(DeleteRequest.newBuilder().setId(id).build());
                    spec.commandLine().getOut().println(id);
                }
                spec.commandLine().getOut().flush();
            }
        }
    }
}
