package io.jctr.cli;

import io.jctr.api.services.pull.v1.PullProgress;
import io.jctr.api.services.pull.v1.PullRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jctr images pull}: the daemon resolves, downloads and unpacks (jctr.services.pull.v1);
 * this command sends the credentials it found and shows the progress the daemon streams.
 */
@Command(name = "pull", description = "Pull an image from a registry and unpack it (the daemon does the work)")
class ImagesPullCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "pull this platform (repeatable; default: the daemon's)")
    List<String> platforms = new ArrayList<>();

    @Option(names = "--all-platforms", description = "pull every platform of an index (only the daemon's is unpacked)")
    boolean allPlatforms;

    @Option(names = "--plain-http", description = "use http, not https (loopback registries always may)")
    boolean plainHttp;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:PASSWORD]",
            description = "registry credentials (default: ~/.docker/config.json); asks for a missing password on a terminal")
    String user;

    @Option(names = "--snapshotter", paramLabel = "NAME", description = "unpack into this snapshotter (default: the daemon's, overlayfs)")
    String snapshotter = "";

    @Option(names = "--no-unpack", description = "only download; do not unpack into snapshots")
    boolean noUnpack;

    @Option(names = {"-q", "--quiet"}, description = "print only NAME@DIGEST of the pulled image")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "REF", description = "e.g. busybox, library/busybox:1, host:5000/repo@sha256:...")
    String ref;

    @Override
    public void run() {
        PullRequest request = PullRequest.newBuilder().setRef(ref).addAllPlatforms(platforms).setAllPlatforms(allPlatforms)
                .setPlainHttp(plainHttp).setCredentials(RegistryCredentials.resolve(user, ref, RegistryCredentials.dockerConfigPath()))
                .setSnapshotter(snapshotter).setUnpack(!noUnpack).build();
        long start = System.nanoTime();
        try (ApiClient api = ApiClient.connect(spec)) {
            PullProgress last = ImagePull.pull(api, request, quiet ? null : System.out);
            if (quiet) {
                System.out.println(last.getName().contains("@") ? last.getName() : last.getName() + "@" + last.getDigest());
            } else {
                System.out.println(last.getName() + ": " + last.getDigest());
                System.out.printf(Locale.ROOT, "done: %.1fs%n", (System.nanoTime() - start) / 1e9);
            }
            System.out.flush();
        }
    }
}
