package io.jctr.cli;

import io.jctr.api.services.images.v1.DeleteImageRequest;
import io.jctr.api.services.images.v1.Image;
import io.jctr.api.services.images.v1.ImagesGrpc;
import io.jctr.api.services.images.v1.ListImagesRequest;
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

/** {@code jctr images ls|rm|pull|push|tag|inspect|import|export}: the daemon's image records and transfers. */
@Command(name = "images", aliases = {"image", "i"}, description = "Manage images",
        subcommands = {ImagesCommand.Ls.class, ImagesCommand.Rm.class, ImagesPullCommand.class, ImagesPushCommand.class,
                ImagesTagCommand.class, ImagesInspectCommand.class, ImagesImportCommand.class,
                ImagesExportCommand.class})
class ImagesCommand {

    static ImagesGrpc.ImagesBlockingStub stub(ApiClient api) {
        return ImagesGrpc.newBlockingStub(api.channel()).withDeadlineAfter(api.timeoutSeconds(), TimeUnit.SECONDS);
    }

    @Command(name = "ls", aliases = "list", description = "List images: name, type, digest, size")
    static class Ls implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        OutputFormat output;

        @Option(names = {"-q", "--quiet"}, description = "print only the names")
        boolean quiet;

        @Parameters(paramLabel = "FILTER", arity = "0..*", description = "containerd filters, e.g. name~=busybox")
        List<String> filters = new ArrayList<>();

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                List<Image> all = stub(api).list(ListImagesRequest.newBuilder().addAllFilters(filters).build()).getImagesList();
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    List<Object> rows = new ArrayList<>();
                    for (Image i : all) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("name", i.getName());
                        m.put("media_type", i.getTarget().getMediaType());
                        m.put("digest", i.getTarget().getDigest());
                        m.put("size", i.getTarget().getSize());
                        m.put("created_at", Formats.time(i.getCreatedAt()));
                        m.put("labels", i.getLabelsMap());
                        rows.add(m);
                    }
                    out.println(JsonWriter.write(rows));
                    out.flush();
                } else if (quiet) {
                    all.forEach(i -> out.println(i.getName()));
                    out.flush();
                } else {
                    Table t = new Table("REF", "TYPE", "DIGEST", "LABELS");
                    all.forEach(i -> t.row(i.getName(), i.getTarget().getMediaType(), i.getTarget().getDigest(),
                            Labels.format(i.getLabelsMap())));
                    t.print(out);
                }
            }
        }
    }

    @Command(name = "rm", aliases = {"remove", "delete"}, description = "Remove image records")
    static class Rm implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "REF")
        List<String> names;

        @Override
        public void run() {
            try (ApiClient api = ApiClient.connect(spec)) {
                for (String name : names) {
                    stub(api).delete(DeleteImageRequest.newBuilder().setName(name).build());
                    spec.commandLine().getOut().println(name);
                }
                spec.commandLine().getOut().flush();
            }
        }
    }
}
