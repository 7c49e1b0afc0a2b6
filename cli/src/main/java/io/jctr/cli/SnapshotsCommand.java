package io.jctr.cli;

import com.google.protobuf.FieldMask;
import io.grpc.StatusRuntimeException;
import io.jctr.api.services.snapshots.v1.CommitSnapshotRequest;
import io.jctr.api.services.snapshots.v1.Info;
import io.jctr.api.services.snapshots.v1.ListSnapshotsRequest;
import io.jctr.api.services.snapshots.v1.RemoveSnapshotRequest;
import io.jctr.api.services.snapshots.v1.SnapshotsGrpc;
import io.jctr.api.services.snapshots.v1.StatSnapshotRequest;
import io.jctr.api.services.snapshots.v1.UpdateSnapshotRequest;
import io.jctr.api.services.snapshots.v1.UsageRequest;
import io.jctr.api.services.snapshots.v1.UsageResponse;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code jctr snapshots ...}, as {@code ctr snapshots}: the same arguments and the same output. */
@Command(name = "snapshots", aliases = "snapshot", description = "Manage snapshots",
        subcommands = {SnapshotsCommand.Ls.class, SnapshotsCommand.Stat.class, SnapshotsMountCommands.Mounts.class,
                SnapshotsMountCommands.Prepare.class, SnapshotsMountCommands.View.class, SnapshotsCommand.Commit.class,
                SnapshotsCommand.Rm.class, SnapshotsCommand.Usage.class, SnapshotsCommand.Tree.class,
                SnapshotsCommand.Label.class})
class SnapshotsCommand {

    /** The label ctr puts on what it prepares and commits, so that garbage collection keeps it. */
    static final String GC_ROOT = "containerd.io/gc.root";

    @Option(names = "--snapshotter", scope = ScopeType.INHERIT, paramLabel = "NAME",
            defaultValue = "${env:JCTR_SNAPSHOTTER:-overlayfs}",
            description = "the snapshotter (env JCTR_SNAPSHOTTER; default: ${DEFAULT-VALUE})")
    String snapshotter;

    static String snapshotter(CommandSpec spec) {
        return ((SnapshotsCommand) spec.parent().userObject()).snapshotter;
    }

    static SnapshotsGrpc.SnapshotsBlockingStub stub(ApiClient api) {
        return SnapshotsGrpc.newBlockingStub(api.channel()).withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS);
    }

    static List<Info> list(ApiClient api, String snapshotter) {
        List<Info> all = new ArrayList<>();
        stub(api).list(ListSnapshotsRequest.newBuilder().setSnapshotter(snapshotter).build())
                .forEachRemaining(r -> all.addAll(r.getInfoList()));
        return all;
    }

    /** ctr's gc.root label (time now, RFC 3339 seconds) under the labels given. */
    static Map<String, String> gcRootAnd(List<String> labels) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(GC_ROOT, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        m.putAll(Labels.parse(labels));
        return m;
    }

    @Command(name = "ls", aliases = "list", description = "List snapshots: key, parent, kind")
    static class Ls implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        OutputFormat output;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                List<Info> all = list(api, snapshotter(spec));
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    List<Object> rows = new ArrayList<>();
                    for (Info i : all) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("key", i.getName());
                        m.put("parent", i.getParent());
                        m.put("kind", SnapshotsOutput.kind(i.getKind()));
                        m.put("created_at", Formats.time(i.getCreatedAt()));
                        m.put("updated_at", Formats.time(i.getUpdatedAt()));
                        m.put("labels", i.getLabelsMap());
                        rows.add(m);
                    }
                    out.println(JsonWriter.write(rows));
                    out.flush();
                } else {
                    Table t = new Table("KEY", "PARENT", "KIND");
                    all.forEach(i -> t.row(i.getName(), i.getParent(), SnapshotsOutput.kind(i.getKind())));
                    t.print(out);
                }
            }
        }
    }

    @Command(name = "info", description = "Print a snapshot's info as JSON")
    static class Stat implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                Info i = stub(api).stat(StatSnapshotRequest.newBuilder().setSnapshotter(snapshotter(spec)).setKey(key).build())
                        .getInfo();
                spec.commandLine().getOut().println(SnapshotsOutput.infoJson(i));
                spec.commandLine().getOut().flush();
            }
        }
    }

    @Command(name = "commit", description = "Commit an active snapshot under a name")
    static class Commit implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "a label for the committed snapshot (repeatable)")
        List<String> labels = new ArrayList<>();

        @Parameters(index = "0", paramLabel = "KEY", description = "the name to commit under")
        String key;

        @Parameters(index = "1", paramLabel = "ACTIVE", description = "the active snapshot")
        String active;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                stub(api).commit(CommitSnapshotRequest.newBuilder().setSnapshotter(snapshotter(spec)).setName(key)
                        .setKey(active).putAllLabels(gcRootAnd(labels)).build());
            }
        }
    }

    @Command(name = "rm", aliases = {"delete", "del", "remove"}, description = "Remove snapshots")
    static class Rm implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "KEY")
        List<String> keys;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                for (String key : keys) {
                    try {
                        stub(api).remove(RemoveSnapshotRequest.newBuilder().setSnapshotter(snapshotter(spec)).setKey(key).build());
                    } catch (StatusRuntimeException e) {
                        throw new CliException("failed to remove \"" + key + "\": "
                                + ErrorReporter.message(e, (JctrCommand) spec.root().userObject()));
                    }
                }
            }
        }
    }

    @Command(name = "usage", description = "Disk usage of snapshots: key, size, inodes")
    static class Usage implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = "-b", description = "sizes in bytes")
        boolean bytes;

        @Parameters(arity = "0..*", paramLabel = "KEY", description = "the snapshots (default: all)")
        List<String> keys = new ArrayList<>();

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                String snapshotter = snapshotter(spec);
                List<String> names = keys.isEmpty() ? list(api, snapshotter).stream().map(Info::getName).toList() : keys;
                Table t = new Table("KEY", "SIZE", "INODES");
                for (String key : names) {
                    UsageResponse u = stub(api).usage(UsageRequest.newBuilder()
                            .setSnapshotter(snapshotter).setKey(key).build());
                    t.row(key, bytes ? Long.toString(u.getSize()) : SnapshotsOutput.size(u.getSize()), u.getInodes());
                }
                t.print(spec.commandLine().getOut());
            }
        }
    }

    @Command(name = "tree", description = "Print the snapshots as a tree of parents and children")
    static class Tree implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                SnapshotsTree tree = new SnapshotsTree();
                list(api, snapshotter(spec)).forEach(i -> tree.add(i.getName(), i.getParent()));
                PrintWriter out = spec.commandLine().getOut();
                tree.lines().forEach(out::println);
                out.flush();
            }
        }
    }

    @Command(name = "label", description = "Set labels on a snapshot (KEY= removes one) and print them all")
    static class Label implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "LABEL=VALUE")
        List<String> labels = new ArrayList<>();

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                Map<String, String> wanted = Labels.parse(labels);
                Info info;
                if (wanted.isEmpty()) {
                    info = stub(api).stat(StatSnapshotRequest.newBuilder().setSnapshotter(snapshotter(spec)).setKey(key).build())
                            .getInfo();
                } else {
                    Info.Builder update = Info.newBuilder().setName(key);
                    FieldMask.Builder mask = FieldMask.newBuilder();
                    wanted.forEach((k, v) -> {
                        mask.addPaths("labels." + k);
                        if (!v.isEmpty()) {
                            update.putLabels(k, v);
                        }
                    });
                    info = stub(api).update(UpdateSnapshotRequest.newBuilder().setSnapshotter(snapshotter(spec))
                            .setInfo(update).setUpdateMask(mask).build()).getInfo();
                }
                spec.commandLine().getOut().println(Labels.format(info.getLabelsMap()));
                spec.commandLine().getOut().flush();
            }
        }
    }
}
