package io.jctr.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jctr.api.services.namespaces.v1.CreateNamespaceRequest;
import io.jctr.api.services.namespaces.v1.DeleteNamespaceRequest;
import io.jctr.api.services.namespaces.v1.ListNamespacesRequest;
import io.jctr.api.services.namespaces.v1.Namespace;
import io.jctr.api.services.namespaces.v1.NamespacesGrpc;
import io.jctr.api.services.namespaces.v1.UpdateNamespaceRequest;
import com.google.protobuf.FieldMask;
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

/** {@code jctr namespaces create|ls|rm|label}, as {@code ctr namespaces}. */
@Command(name = "namespaces", aliases = {"namespace", "ns"}, description = "Manage namespaces",
        subcommands = {NamespacesCommand.Create.class, NamespacesCommand.Ls.class, NamespacesCommand.Rm.class,
            NamespacesCommand.Label.class})
class NamespacesCommand {

    static NamespacesGrpc.NamespacesBlockingStub stub(ApiClient api) {
        return NamespacesGrpc.newBlockingStub(api.channel()).withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS);
    }

    @Command(name = "create", aliases = "c", description = "Create a namespace, optionally with labels")
    static class Create implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "labels")
        List<String> labels = new ArrayList<>();

        @Override
        public void run() {
            Map<String, String> l = Labels.parse(labels);
            try (ApiClient api = ApiClient.connect(spec)) {
                stub(api).create(CreateNamespaceRequest.newBuilder()
                        .setNamespace(Namespace.newBuilder().setName(name).putAllLabels(l)).build());
            }
        }
    }

    @Command(name = "ls", aliases = "list", description = "List namespaces and their labels")
    static class Ls implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        OutputFormat output;

        @Option(names = {"-q", "--quiet"}, description = "print only the names")
        boolean quiet;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                List<Namespace> all = stub(api).list(ListNamespacesRequest.getDefaultInstance()).getNamespacesList();
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    List<Object> rows = new ArrayList<>();
                    for (Namespace n : all) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("name", n.getName());
                        m.put("labels", n.getLabelsMap());
                        rows.add(m);
                    }
                    out.println(JsonWriter.write(rows));
                    out.flush();
                } else if (quiet) {
                    all.forEach(n -> out.println(n.getName()));
                    out.flush();
                } else {
                    Table t = new Table("NAME", "LABELS");
                    all.forEach(n -> t.row(n.getName(), Labels.format(n.getLabelsMap())));
                    t.print(out);
                }
            }
        }
    }

    @Command(name = "rm", aliases = {"remove", "delete"}, description = "Remove empty namespaces")
    static class Rm implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names;

        /** Removes each name; a missing one counts as removed (as with ctr), any other failure is reported and rc 1. */
        @Override
        public Integer call() {
            int rc = 0;
            try (ApiClient api = ApiClient.connect(spec)) {
                for (String name : names) {
                    try {
                        stub(api).delete(DeleteNamespaceRequest.newBuilder().setName(name).build());
                    } catch (StatusRuntimeException e) {
                        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                            spec.commandLine().getErr().println("jctr: " + ErrorReporter.message(e, (JctrCommand) spec.root().userObject()));
                            rc = 1;
                            continue;
                        }
                    }
                    spec.commandLine().getOut().println(name);
                }
            }
            spec.commandLine().getOut().flush();
            return rc;
        }
    }

    @Command(name = "label", description = "Set (key=value) or remove (key=) labels of a namespace")
    static class Label implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1..*", paramLabel = "KEY=VALUE")
        List<String> labels = new ArrayList<>();

        @Override
        public void run() {
            Map<String, String> l = Labels.parse(labels);
            FieldMask.Builder mask = FieldMask.newBuilder();
            Namespace.Builder ns = Namespace.newBuilder().setName(name);
            l.forEach((k, v) -> {
                mask.addPaths("labels." + k);
                if (!v.isEmpty()) {
                    ns.putLabels(k, v);
                }
            });
            try (ApiClient api = ApiClient.connect(spec)) {
                stub(api).update(UpdateNamespaceRequest.newBuilder().setNamespace(ns).setUpdateMask(mask).build());
            }
        }
    }
}
