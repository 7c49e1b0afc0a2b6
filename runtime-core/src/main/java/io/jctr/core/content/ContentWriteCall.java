package io.jctr.core.content;

import io.grpc.stub.StreamObserver;
import io.jctr.api.services.content.v1.WriteAction;
import io.jctr.api.services.content.v1.WriteContentRequest;
import io.jctr.api.services.content.v1.WriteContentResponse;
import io.jctr.core.grpc.GrpcErrors;
import io.jctr.core.grpc.Timestamps;
import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentInfo;
import io.jctr.spi.content.IngestStatus;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Content.Write stream, containerd's protocol: the first message names the ref (and may
 * carry the expected digest, which ends the call with ALREADY_EXISTS when the namespace holds the
 * blob, and shares it when only other namespaces do: see {@link ContentService#clientWriter});
 * then any number of STAT and WRITE messages, each answered with the ingest's status; COMMIT
 * verifies size and digest and makes the blob visible. gRPC delivers messages one at a time, so
 * the state needs no lock.
 */
final class ContentWriteCall implements StreamObserver<WriteContentRequest> {

    private static final Logger LOG = Logger.getLogger(ContentWriteCall.class.getName());

    private final ContentService content;
    private final String namespace;
    private final String lease;
    private final StreamObserver<WriteContentResponse> responses;
    private NamespacedWriter writer;
    private boolean finished;

    ContentWriteCall(ContentService content, String namespace, String lease, StreamObserver<WriteContentResponse> responses) {
        this.content = content;
        this.namespace = namespace;
        this.lease = lease;
        this.responses = responses;
    }

    @Override
    public void onNext(WriteContentRequest request) {
        if (finished) {
            return;
        }
        try {
            if (writer == null) {
                if (request.getRef().isEmpty()) {
                    throw JctrException.invalidArgument("first message must have a reference");
                }
                writer = content.clientWriter(namespace, lease, request.getRef(), request.getTotal(), request.getExpected());
            }
            switch (request.getAction()) {
                case STAT -> respond(WriteAction.STAT, writer.status(), writer.digest());
                case WRITE -> {
                    writer.write(request.getOffset(), request.getData().asReadOnlyByteBuffer());
                    respond(WriteAction.WRITE, writer.status(), writer.digest());
                }
                case COMMIT -> {
                    if (!request.getData().isEmpty()) {
                        writer.write(request.getOffset(), request.getData().asReadOnlyByteBuffer());
                    }
                    ContentInfo info = writer.commit(request.getTotal(), request.getExpected(), request.getLabelsMap());
                    responses.onNext(WriteContentResponse.newBuilder().setAction(WriteAction.COMMIT)
                            .setOffset(info.size()).setTotal(info.size()).setDigest(info.digest()).build());
                }
                default -> throw JctrException.invalidArgument("unknown write action %s", request.getActionValue());
            }
        } catch (IOException e) {
            fail(new JctrException(JctrException.Kind.UNKNOWN, "content write " + request.getRef() + ": " + e.getMessage(), e));
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        finished = true;
        closeWriter(); // the ingest stays, resumable at its offset
    }

    @Override
    public void onCompleted() {
        if (finished) {
            return;
        }
        finished = true;
        closeWriter();
        responses.onCompleted();
    }

    private void respond(WriteAction action, IngestStatus s, String digest) {
        responses.onNext(WriteContentResponse.newBuilder().setAction(action).setOffset(s.offset()).setTotal(s.total())
                .setDigest(digest).setStartedAt(Timestamps.of(s.startedAt())).setUpdatedAt(Timestamps.of(s.updatedAt())).build());
    }

    private void fail(RuntimeException e) {
        finished = true;
        closeWriter();
        responses.onError(GrpcErrors.toStatus(e));
    }

    private void closeWriter() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing ingest writer", e);
            }
            writer = null;
        }
    }
}
