package io.jctr.cli;

import io.jctr.api.services.snapshots.v1.MountsRequest;
import io.jctr.api.services.snapshots.v1.PrepareSnapshotRequest;
import io.jctr.api.services.snapshots.v1.ViewSnapshotRequest;
import io.jctr.api.types.Mount;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The snapshot commands that hand out mounts: {@code prepare}, {@code view}, {@code mounts}. */
final class SnapshotsMountCommands {

    private SnapshotsMountCommands() {
    }

    /** What prepare and view take, and print: mount commands with {@code --target}, JSON with {@code --mounts}. */
    abstract static class Create implements Runnable {
        @Spec
        CommandSpec spec;

        @Option(names = {"-t", "--target"}, paramLabel = "DIR", description = "print the commands that mount the snapshot at DIR")
        String target;

        @Option(names = "--mounts", description = "print the snapshot's mounts as JSON")
        boolean mounts;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "a label for the snapshot (repeatable)")
        List<String> labels = new ArrayList<>();

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PARENT", description = "a committed snapshot")
        String parent = "";

        abstract List<Mount> create(ApiClient api, String snapshotter);

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                List<Mount> m = create(api, SnapshotsCommand.snapshotter(spec));
                PrintWriter out = spec.commandLine().getOut();
                if (target != null && !target.isEmpty()) {
                    SnapshotsOutput.mountLines(target, m).forEach(out::println);
                }
                if (mounts) {
                    out.println(SnapshotsOutput.mountsJson(m));
                }
                out.flush();
            }
        }
    }

    @Command(name = "prepare", description = "Prepare an active (writable) snapshot, on a committed parent if given")
    static class Prepare extends Create {
        @Override
        List<Mount> create(ApiClient api, String snapshotter) {
            return SnapshotsCommand.stub(api).prepare(PrepareSnapshotRequest.newBuilder().setSnapshotter(snapshotter)
                    .setKey(key).setParent(parent).putAllLabels(SnapshotsCommand.gcRootAnd(labels)).build()).getMountsList();
        }
    }

    @Command(name = "view", description = "Create a read-only view of a committed snapshot")
    static class View extends Create {
        @Override
        List<Mount> create(ApiClient api, String snapshotter) {
            return SnapshotsCommand.stub(api).view(ViewSnapshotRequest.newBuilder().setSnapshotter(snapshotter)
                    .setKey(key).setParent(parent).putAllLabels(Labels.parse(labels)).build()).getMountsList();
        }
    }

    @Command(name = "mounts", aliases = {"m", "mount"}, description = "Print the commands that mount a snapshot at TARGET")
    static class Mounts implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "TARGET")
        String target;

        @Parameters(index = "1", paramLabel = "KEY")
        String key;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                List<Mount> m = SnapshotsCommand.stub(api).mounts(MountsRequest.newBuilder()
                        .setSnapshotter(SnapshotsCommand.snapshotter(spec)).setKey(key).build()).getMountsList();
                PrintWriter out = spec.commandLine().getOut();
                SnapshotsOutput.mountLines(target, m).forEach(out::println);
                out.flush();
            }
        }
    }
}
