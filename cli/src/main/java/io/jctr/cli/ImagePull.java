package io.jctr.cli;

import io.jctr.api.services.pull.v1.PullGrpc;
import io.jctr.api.services.pull.v1.PullProgress;
import io.jctr.api.services.pull.v1.PullRequest;
import io.jctr.cli.progress.ProgressView;
import java.io.PrintStream;
import java.util.Iterator;

/**
 * A server-side pull (jctr.services.pull.v1) with the daemon's progress drawn on a stream: what
 * {@code jctr images pull} does, and {@code jctr run} when its image is missing.
 */
final class ImagePull {

    private ImagePull() {
    }

    /**
     * Pulls and returns the daemon's last progress message (done, with the image's name and digest).
     *
     * @param out where progress goes, or null for none
     */
    static PullProgress pull(ApiClient api, PullRequest request, PrintStream out) {
        ProgressView view = out == null ? null : new ProgressView(out, System.console() != null, System::nanoTime);
        if (view != null) {
            view.resolving(request.getRef());
        }
        Iterator<PullProgress> it = PullGrpc.newBlockingStub(api.channel()).pull(request);
        PullProgress last = null;
        while (it.hasNext()) {
            last = it.next();
            if (view != null) {
                view.update(last.getBlobsList());
            }
        }
        if (last == null || !last.getDone()) {
            throw new CliException("the pull of " + request.getRef() + " ended without a result");
        }
        return last;
    }
}
