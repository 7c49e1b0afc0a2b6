package io.jctr.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jctr.api.services.pull.v1.PullRequest;
import io.jctr.api.services.run.v1.CreateContainerRequest;
import io.jctr.api.services.run.v1.CreateContainerResponse;
import io.jctr.api.services.run.v1.RunGrpc;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Creates a container through the daemon's Run service (jctr.services.run.v1), which makes the
 * spec, the snapshot and the record; when the image is missing, pulls it first (server-side,
 * drawing the pull's progress) and tries once more.
 */
final class ContainerCreation {

    private ContainerCreation() {
    }

    /** @param pull whether a missing image is pulled, or its NOT_FOUND reported */
    static CreateContainerResponse create(ApiClient api, CreateContainerRequest request, boolean pull, PrintStream progress) {
        try {
            return stub(api).createContainer(request);
        } catch (StatusRuntimeException e) {
            if (!pull || !imageMissing(e.getStatus())) {
                throw e;
            }
        }
        String ref = request.getImage();
        try {
            ImagePull.pull(api, PullRequest.newBuilder().setRef(ref)
                    .setCredentials(RegistryCredentials.resolve(null, ref, RegistryCredentials.dockerConfigPath()))
                    .setSnapshotter(request.getSnapshotter()).setUnpack(true).build(), progress);
        } catch (StatusRuntimeException e) {
            throw new CliException("image " + ref + " is not in the daemon's store, and pulling it failed: "
                    + (e.getStatus().getDescription() == null ? e.getStatus().getCode().name() : e.getStatus().getDescription()));
        }
        return stub(api).createContainer(request);
    }

    /** The Run service's answer for an image it does not have: NOT_FOUND, {@code image "NAME": not found}. */
    static boolean imageMissing(Status status) {
        return status.getCode() == Status.Code.NOT_FOUND && status.getDescription() != null
                && status.getDescription().startsWith("image \"");
    }

    private static RunGrpc.RunBlockingStub stub(ApiClient api) {
        // creating may unpack the image: allow more than a plain call
        return RunGrpc.newBlockingStub(api.channel()).withDeadlineAfter(Math.max(api.timeoutSeconds(), 300), TimeUnit.SECONDS);
    }
}
