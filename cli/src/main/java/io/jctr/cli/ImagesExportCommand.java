package io.jctr.cli;

import io.jctr.api.services.archive.v1.ArchiveFormat;
import io.jctr.api.services.archive.v1.ExportRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jctr images export}: images as an OCI image layout tarball (default; what ctr and skopeo's
 * {@code oci-archive:} read) or a docker archive ({@code docker load}, skopeo's
 * {@code docker-archive:}). The daemon writes the file (the path is made absolute here), into a
 * temporary file renamed into place when complete.
 */
@Command(name = "export", description = "Export images as an OCI image layout or docker-archive tarball; the daemon writes OUT")
class ImagesExportCommand implements Runnable {

    enum Format { oci, docker }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "oci",
            description = "archive format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "manifests of this platform (repeatable; default: the daemon's)")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--all-platforms", description = "the manifests of every platform (all must be present)")
    boolean allPlatforms;

    @Parameters(index = "0", paramLabel = "OUT", description = "the archive to write")
    String out;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "images to export")
    List<String> images;

    @Override
    public void run() {
        try (ApiClient api = ApiClient.connect(spec)) {
            ArchiveCalls.stub(api, spec).export(ExportRequest.newBuilder().setPath(ArchiveCalls.absolute(out)).addAllNames(images)
                    .addAllPlatforms(platforms).setAllPlatforms(allPlatforms)
                    .setFormat(format == Format.docker ? ArchiveFormat.DOCKER : ArchiveFormat.OCI).build());
        }
    }
}
