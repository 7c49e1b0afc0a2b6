package io.jctr.cli;

import io.jctr.api.services.pull.v1.PullGrpc;
import io.jctr.api.services.pull.v1.PushProgress;
import io.jctr.api.services.pull.v1.PushRequest;
import io.jctr.cli.progress.ProgressView;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jctr images push}: the daemon uploads a local image to a registry, streaming progress. */
@Command(name = "push", description = "Push a local image to a registry")
class ImagesPushCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--plain-http", description = "use http, not https (loopback registries always may)")
    boolean plainHttp;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:PASSWORD]", description = "registry credentials (default: ~/.docker/config.json)")
    String user;

    @Option(names = {"-q", "--quiet"}, description = "print only NAME@DIGEST of the pushed image")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "REF", description = "where to push: host/repo:tag")
    String ref;

    @Parameters(index = "1", arity = "0..1", paramLabel = "LOCAL", description = "the local image to push (default: REF)")
    String local = "";

    @Override
    public void run() {
        PushRequest request = PushRequest.newBuilder().setRef(ref).setLocal(local).setPlainHttp(plainHttp)
                .setCredentials(RegistryCredentials.resolve(user, ref, RegistryCredentials.dockerConfigPath())).build();
        long start = System.nanoTime();
        try (ApiClient api = ApiClient.connect(spec)) {
            ProgressView view = quiet ? null : new ProgressView(System.out, System.console() != null, System::nanoTime);
            Iterator<PushProgress> it = PullGrpc.newBlockingStub(api.channel()).push(request);
            PushProgress last = null;
            while (it.hasNext()) {
                last = it.next();
                if (view != null) {
                    view.update(last.getBlobsList());
                }
            }
            if (last == null || !last.getDone()) {
                throw new CliException("the push of " + ref + " ended without a result");
            }
            if (quiet) {
                System.out.println(last.getName() + "@" + last.getDigest());
            } else {
                System.out.println(last.getName() + ": " + last.getDigest());
                System.out.printf(Locale.ROOT, "done: %.1fs%n", (System.nanoTime() - start) / 1e9);
            }
            System.out.flush();
        }
    }
}
