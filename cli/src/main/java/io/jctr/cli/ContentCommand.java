package io.jctr.cli;

import io.jctr.api.services.content.v1.ContentGrpc;
import io.jctr.api.services.content.v1.DeleteContentRequest;
import io.jctr.api.services.content.v1.Info;
import io.jctr.api.services.content.v1.ListContentRequest;
import io.jctr.api.services.content.v1.ReadContentRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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

/** {@code jctr content ls|get|rm}: blobs of the namespace in the daemon's content store. */
@Command(name = "content", description = "Manage content (blobs)",
        subcommands = {ContentCommand.Ls.class, ContentCommand.Get.class, ContentCommand.Rm.class})
class ContentCommand {

    static ContentGrpc.ContentBlockingStub stub(ApiClient api) {
        return ContentGrpc.newBlockingStub(api.channel()).withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS);
    }

    @Command(name = "ls", aliases = "list", description = "List blobs: digest, size, labels")
    static class Ls implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        OutputFormat output;

        @Option(names = {"-q", "--quiet"}, description = "print only the digests")
        boolean quiet;

        @Parameters(paramLabel = "FILTER", arity = "0..*", description = "containerd filters, e.g. labels.purpose==test")
        List<String> filters = new ArrayList<>();

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                List<Info> all = new ArrayList<>();
                stub(api).list(ListContentRequest.newBuilder().addAllFilters(filters).build())
                        .forEachRemaining(r -> all.addAll(r.getInfoList()));
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    List<Object> rows = new ArrayList<>();
                    for (Info i : all) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("digest", i.getDigest());
                        m.put("size", i.getSize());
                        m.put("created_at", Formats.time(i.getCreatedAt()));
                        m.put("labels", i.getLabelsMap());
                        rows.add(m);
                    }
                    out.println(JsonWriter.write(rows));
                    out.flush();
                } else if (quiet) {
                    all.forEach(i -> out.println(i.getDigest()));
                    out.flush();
                } else {
                    Table t = new Table("DIGEST", "SIZE", "LABELS");
                    all.forEach(i -> t.row(i.getDigest(), Formats.size(i.getSize()), Labels.format(i.getLabelsMap())));
                    t.print(out);
                }
            }
        }
    }

    @Command(name = "get", description = "Write a blob to standard output")
    static class Get implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIGEST")
        String digest;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                OutputStream out = System.out;
                stub(api).read(ReadContentRequest.newBuilder().setDigest(digest).build()).forEachRemaining(r -> {
                    try {
                        r.getData().writeTo(out);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write to standard output", e);
                    }
                });
                System.out.flush();
            }
        }
    }

    @Command(name = "rm", aliases = {"remove", "delete"}, description = "Remove blobs from the namespace")
    static class Rm implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "DIGEST")
        List<String> digests;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                for (String d : digests) {
                    stub(api).delete(DeleteContentRequest.newBuilder().setDigest(d).build());
                    spec.commandLine().getOut().println(d);
                }
                spec.commandLine().getOut().flush();
            }
        }
    }
}
