package io.jctr.core.pull;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.jctr.api.services.pull.v1.BlobProgress;
import io.jctr.core.grpc.GrpcErrors;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sends a transfer's progress on a server stream: a snapshot every 100 ms while something
 * changed, then the final message or the error status. Thread-safe; sends never overlap.
 */
final class ProgressStream<T> {

    private static final long TICK_MILLIS = 100;

    private final ServerCallStreamObserver<T> call;
    private final TransferStatus status;
    private final Function<List<BlobProgress>, T> message;
    private final ScheduledFuture<?> ticker;
    // guarded by this
    private long sent = -1;
    private boolean closed;

    ProgressStream(ServerCallStreamObserver<T> call, TransferStatus status, Function<List<BlobProgress>, T> message,
                   ScheduledExecutorService timer) {
        this.call = call;
        this.status = status;
        this.message = message;
        this.ticker = timer.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        status.onStateChange(this::tick);
    }

    private synchronized void tick() {
        long v = status.version();
        if (closed || v == sent || call.isCancelled()) {
            return;
        }
        sent = v;
        call.onNext(message.apply(blobs(status)));
    }

    /** Sends {@code last} (built from the final blob list) and completes the call. */
    synchronized void finish(Function<List<BlobProgress>, T> last) {
        ticker.cancel(false);
        if (closed || call.isCancelled()) {
            return;
        }
        closed = true;
        call.onNext(last.apply(blobs(status)));
        call.onCompleted();
    }

    synchronized void fail(Throwable t) {
        ticker.cancel(false);
        if (closed || call.isCancelled()) {
            return;
        }
        closed = true;
        if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException) {
            call.onError(Status.CANCELLED.withDescription("cancelled").asRuntimeException());
        } else if (t instanceof IOException e) {
            call.onError(GrpcErrors.toStatus(new JctrException(JctrException.Kind.UNKNOWN,
                    e.getMessage() == null ? e.toString() : e.getMessage(), e)));
        } else {
            call.onError(GrpcErrors.toStatus(t));
        }
    }

    static List<BlobProgress> blobs(TransferStatus status) {
        return status.snapshot().stream().map(b -> BlobProgress.newBuilder().setKind(b.kind()).setMediaType(b.mediaType())
                .setDigest(b.digest()).setState(BlobProgress.State.valueOf(b.state().name())).setOffset(b.offset())
                .setTotal(b.total()).build()).toList();
    }
}
