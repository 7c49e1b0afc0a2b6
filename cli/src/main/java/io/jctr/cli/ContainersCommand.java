package io.jctr.cli;

import com.google.protobuf.FieldMask;
import io.jctr.api.services.containers.v1.Container;
import io.jctr.api.services.containers.v1.ListContainersRequest;
import io.jctr.api.services.containers.v1.UpdateContainerRequest;
import io.jctr.api.services.run.v1.CreateContainerRequest;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jctr containers ls|info|create|rm|label}, as {@code ctr containers}. */
@Command(name = "containers", aliases = {"container", "c"}, description = "Manage containers (records: spec, image, snapshot)",
        subcommands = {ContainersCommand.Ls.class, ContainersCommand.Info.class, ContainersCommand.Create.class,
                ContainersCommand.Rm.class, ContainersCommand.Label.class})
class ContainersCommand {

    /** A container as JSON: its fields, the spec decoded (as ctr's containers info shows it). */
    static Map<String, Object> json(Container c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", c.getId());
        m.put("Labels", c.getLabelsMap());
        m.put("Image", c.getImage());
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("Name", c.getRuntime().getName());
        runtime.put("Options", Map.of("type_url", c.getRuntime().getOptions().getTypeUrl()));
        m.put("Runtime", runtime);
        m.put("SnapshotKey", c.getSnapshotKey());
        m.put("Snapshotter", c.getSnapshotter());
        m.put("CreatedAt", Formats.time(c.getCreatedAt()));
        m.put("UpdatedAt", Formats.time(c.getUpdatedAt()));
        m.put("Extensions", new ArrayList<>(c.getExtensionsMap().keySet()));
        m.put("Spec", c.hasSpec() ? JsonReader.parse(c.getSpec().getValue().toString(StandardCharsets.UTF_8)) : null);
        return m;
    }

    @Command(name = "ls", aliases = "list", description = "List containers: id, image, runtime")
    static class Ls implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        OutputFormat output;

        @Option(names = {"-q", "--quiet"}, description = "print only the ids")
        boolean quiet;

        @Parameters(paramLabel = "FILTER", arity = "0..*", description = "containerd filters, e.g. image~=busybox")
        List<String> filters = new ArrayList<>();

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                List<Container> all = TaskCalls.containers(api).list(ListContainersRequest.newBuilder().addAllFilters(filters).build())
                        .getContainersList();
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    List<Object> rows = new ArrayList<>();
                    for (Container c : all) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("id", c.getId());
                        m.put("image", c.getImage());
                        m.put("runtime", c.getRuntime().getName());
                        m.put("snapshotter", c.getSnapshotter());
                        m.put("created_at", Formats.time(c.getCreatedAt()));
                        m.put("labels", c.getLabelsMap());
                        rows.add(m);
                    }
                    out.println(JsonWriter.write(rows));
                    out.flush();
                } else if (quiet) {
                    all.forEach(c -> out.println(c.getId()));
                    out.flush();
                } else {
                    Table t = new Table("CONTAINER", "IMAGE", "RUNTIME");
                    all.forEach(c -> t.row(c.getId(), c.getImage(), c.getRuntime().getName()));
                    t.print(out);
                }
            }
        }
    }

    @Command(name = "info", description = "Show a container's record and spec as JSON")
    static class Info implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--spec", description = "print only the OCI spec")
        boolean specOnly;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                Map<String, Object> m = json(TaskCalls.container(api, id));
                spec.commandLine().getOut().println(JsonWriter.write(specOnly ? m.get("Spec") : m));
                spec.commandLine().getOut().flush();
            }
        }
    }

    @Command(name = "create", description = "Create a container from an image without starting it (pulled if missing)")
    static class Create implements Runnable, TakesCommandLine {
        @Spec
        CommandSpec spec;

        @Mixin
        RunOptionsMixin options;

        @Option(names = {"-t", "--tty"}, description = "the process will have a terminal")
        boolean tty;

        @Option(names = "--snapshotter", paramLabel = "NAME", defaultValue = "${env:JCTR_SNAPSHOTTER:-}",
                description = "snapshotter for the container's root (default: the daemon's)")
        String snapshotter;

        @Option(names = "--runtime", paramLabel = "NAME", description = "runtime name (default: io.containerd.runc.v2)")
        String runtime = "";

        @Parameters(index = "0", paramLabel = "IMAGE")
        String image;

        @Parameters(index = "1", paramLabel = "ID")
        String id;

        @Parameters(index = "2..*", paramLabel = "CMD", description = "command and arguments (default: the image's)")
        List<String> command = new ArrayList<>();

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                ContainerCreation.create(api, CreateContainerRequest.newBuilder().setImage(image).setContainerId(id)
                        .setSnapshotter(snapshotter).setRuntime(runtime).setOptions(options.toProto(command, tty, false)).build(),
                        options.pull == RunOptionsMixin.Pull.missing, System.err);
            }
        }
    }

    @Command(name = "rm", aliases = {"remove", "delete", "del"}, description = "Remove containers (a stopped task first) and their snapshots")
    static class Rm implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--keep-snapshot", description = "keep the container's snapshot")
        boolean keepSnapshot;

        @Parameters(arity = "1..*", paramLabel = "ID")
        List<String> ids;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                for (String id : ids) {
                    TaskCalls.removeContainer(api, id, keepSnapshot);
                }
            }
        }
    }

    @Command(name = "label", description = "Set or clear container labels (KEY= clears)")
    static class Label implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE")
        List<String> labels;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                Container.Builder c = Container.newBuilder().setId(id);
                FieldMask.Builder mask = FieldMask.newBuilder();
                Labels.parse(labels).forEach((k, v) -> {
                    if (!v.isEmpty()) {
                        c.putLabels(k, v);
                    }
                    mask.addPaths("labels." + k);
                });
                Container updated = TaskCalls.containers(api).update(UpdateContainerRequest.newBuilder().setContainer(c)
                        .setUpdateMask(mask).build()).getContainer();
                spec.commandLine().getOut().println(Labels.format(updated.getLabelsMap()));
                spec.commandLine().getOut().flush();
            }
        }
    }
}
