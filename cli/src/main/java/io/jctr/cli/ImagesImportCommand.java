package io.jctr.cli;

import io.jctr.api.services.archive.v1.ImportRequest;
import io.jctr.api.services.archive.v1.ImportResponse;
import io.jctr.api.services.archive.v1.ImportRootfsRequest;
import io.jctr.api.services.archive.v1.ImportedImage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jctr images import}: an OCI image layout or docker-archive tarball, or with
 * {@code --rootfs} a plain root filesystem tarball as a one-layer image. The daemon reads the
 * file (the path is made absolute here); images are stored without unpacking unless
 * {@code --unpack} is given.
 */
@Command(name = "import", description = "Import images from an OCI image layout or docker-archive tarball, "
        + "or (--rootfs FILE NAME) a root filesystem tarball; the daemon reads FILE")
class ImagesImportCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputFormat output;

    @Option(names = "--rootfs", description = "FILE is a root filesystem tarball; NAME names the one-layer image made of it")
    boolean rootfs;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "manifests of this platform (repeatable; default: the daemon's); with --rootfs: the image's platform")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--all-platforms", description = "take the manifests of every platform")
    boolean allPlatforms;

    @Option(names = "--index-name", paramLabel = "NAME", description = "also name the archive's index NAME")
    String indexName = "";

    @Option(names = "--base-name", paramLabel = "REPO",
            description = "repository for tag-only names (default import-<date>); full names must start with it")
    String baseName = "";

    @Option(names = "--digests", description = "also name every image <base-name>@<digest>")
    boolean digests;

    @Option(names = "--unpack", description = "unpack the images into snapshots (this host's platform), as a pull would")
    boolean unpack;

    @Option(names = "--snapshotter", paramLabel = "NAME", description = "snapshotter to unpack into")
    String snapshotter = "";

    @Parameters(index = "0", paramLabel = "FILE", description = "the archive (tar or tar.gz)")
    String file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "with --rootfs: the image name")
    String name;

    @Override
    public void run() {
        if (rootfs && name == null) {
            throw new ParameterException(spec.commandLine(), "--rootfs needs FILE and NAME");
        }
        if (!rootfs && name != null) {
            throw new ParameterException(spec.commandLine(), "unexpected argument " + name + " (NAME goes with --rootfs)");
        }
        if (rootfs && platforms.size() > 1) {
            throw new ParameterException(spec.commandLine(), "--rootfs takes one --platform");
        }
        try (ApiClient api = ApiClient.connect(spec)) {
            ImportResponse r = rootfs
                    ? ArchiveCalls.stub(api, spec).importRootfs(ImportRootfsRequest.newBuilder().setPath(ArchiveCalls.absolute(file))
                            .setName(name).setPlatform(platforms.isEmpty() ? "" : platforms.get(0)).setUnpack(unpack)
                            .setSnapshotter(snapshotter).build())
                    : ArchiveCalls.stub(api, spec).import_(ImportRequest.newBuilder().setPath(ArchiveCalls.absolute(file))
                            .addAllPlatforms(platforms).setAllPlatforms(allPlatforms).setIndexName(indexName).setBaseName(baseName)
                            .setDigests(digests).setUnpack(unpack).setSnapshotter(snapshotter).build());
            print(r);
        }
    }

    private void print(ImportResponse r) {
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            List<Object> rows = new ArrayList<>();
            for (ImportedImage i : r.getImagesList()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", i.getName());
                m.put("media_type", i.getTarget().getMediaType());
                m.put("digest", i.getTarget().getDigest());
                m.put("size", i.getTarget().getSize());
                m.put("format", r.getFormat());
                rows.add(m);
            }
            out.println(JsonWriter.write(rows));
            out.flush();
        } else {
            Table t = new Table("REF", "TYPE", "DIGEST");
            r.getImagesList().forEach(i -> t.row(i.getName(), i.getTarget().getMediaType(), i.getTarget().getDigest()));
            t.print(out);
        }
    }
}
