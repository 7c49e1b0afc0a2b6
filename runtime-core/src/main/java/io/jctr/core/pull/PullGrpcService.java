package io.jctr.core.pull;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.pull.v1.PullGrpc;
import io.jctr.api.services.pull.v1.PullProgress;
import io.jctr.api.services.pull.v1.PushProgress;
import io.jctr.core.grpc.GrpcErrors;
import io.jctr.core.grpc.RequestNamespace;
import io.jctr.core.registry.Credentials;
import io.jctr.core.registry.Platforms;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code jctr.services.pull.v1.Pull}: runs pulls and pushes on the service's workers and streams
 * their progress; a cancelled call (the client went away) interrupts its transfer.
 */
public final class PullGrpcService extends PullGrpc.PullImplBase {

    private final PullService pulls;
    private final PushService pushes;
    private final ScheduledExecutorService timer;

    public PullGrpcService(PullService pulls, PushService pushes, ScheduledExecutorService timer) {
        this.pulls = pulls;
        this.pushes = pushes;
        this.timer = timer;
    }

    @Override
    public void pull(io.jctr.api.services.pull.v1.PullRequest request, StreamObserver<PullProgress> observer) {
        ServerCallStreamObserver<PullProgress> call = (ServerCallStreamObserver<PullProgress>) observer;
        PullRequest req;
        try {
            req = new PullRequest(RequestNamespace.current(), request.getRef(),
                    request.getPlatformsList().stream().map(Platforms::parse).toList(), request.getAllPlatforms(),
                    request.getPlainHttp(), credentials(request.getCredentials()), request.getSnapshotter(), request.getUnpack());
        } catch (RuntimeException e) {
            call.onError(GrpcErrors.toStatus(e));
            return;
        }
        TransferStatus status = new TransferStatus();
        ProgressStream<PullProgress> progress = new ProgressStream<>(call, status,
                blobs -> PullProgress.newBuilder().addAllBlobs(blobs).build(), timer);
        Future<?> job = pulls.workers().submit(() -> {
            try {
                PullResult r = pulls.pull(req, status);
                progress.finish(blobs -> PullProgress.newBuilder().addAllBlobs(blobs).setName(r.name())
                        .setDigest(r.target().digest()).setMediaType(r.target().mediaType()).setSize(r.target().size())
                        .setDone(true).build());
            } catch (Exception | Error e) {
                progress.fail(e);
            }
        });
        call.setOnCancelHandler(() -> job.cancel(true));
    }

    @Override
    public void push(io.jctr.api.services.pull.v1.PushRequest request, StreamObserver<PushProgress> observer) {
        ServerCallStreamObserver<PushProgress> call = (ServerCallStreamObserver<PushProgress>) observer;
        String ns = RequestNamespace.current();
        TransferStatus status = new TransferStatus();
        ProgressStream<PushProgress> progress = new ProgressStream<>(call, status,
                blobs -> PushProgress.newBuilder().addAllBlobs(blobs).build(), timer);
        Future<?> job = pulls.workers().submit(() -> {
            try {
                PushService.Pushed r = pushes.push(ns, request.getRef(), request.getLocal(), request.getPlainHttp(),
                        credentials(request.getCredentials()), status);
                progress.finish(blobs -> PushProgress.newBuilder().addAllBlobs(blobs).setName(r.name()).setDigest(r.digest())
                        .setDone(true).build());
            } catch (Exception | Error e) {
                progress.fail(e);
            }
        });
        call.setOnCancelHandler(() -> job.cancel(true));
    }

    private static Credentials credentials(io.jctr.api.services.pull.v1.Credentials c) {
        return new Credentials(c.getUsername(), c.getPassword(), c.getIdentityToken());
    }

}
