package io.jctr.core.content;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.content.v1.AbortRequest;
import io.jctr.api.services.content.v1.ContentGrpc;
import io.jctr.api.services.content.v1.DeleteContentRequest;
import io.jctr.api.services.content.v1.Info;
import io.jctr.api.services.content.v1.InfoRequest;
import io.jctr.api.services.content.v1.InfoResponse;
import io.jctr.api.services.content.v1.ListContentRequest;
import io.jctr.api.services.content.v1.ListContentResponse;
import io.jctr.api.services.content.v1.ListStatusesRequest;
import io.jctr.api.services.content.v1.ListStatusesResponse;
import io.jctr.api.services.content.v1.ReadContentRequest;
import io.jctr.api.services.content.v1.ReadContentResponse;
import io.jctr.api.services.content.v1.StatusRequest;
import io.jctr.api.services.content.v1.StatusResponse;
import io.jctr.api.services.content.v1.UpdateRequest;
import io.jctr.api.services.content.v1.UpdateResponse;
import io.jctr.api.services.content.v1.WriteContentRequest;
import io.jctr.api.services.content.v1.WriteContentResponse;
import io.jctr.core.filters.FilterParser;
import io.jctr.core.grpc.GrpcErrors;
import io.jctr.core.grpc.RequestLease;
import io.jctr.core.grpc.RequestNamespace;
import io.jctr.core.grpc.Timestamps;
import io.jctr.core.grpc.Unary;
import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentReader;
import io.jctr.spi.content.IngestStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/** {@code containerd.services.content.v1.Content}: translation only, logic in {@link ContentService}. */
final class ContentGrpcService extends ContentGrpc.ContentImplBase {

    /** containerd's Read chunk: ctr reads big blobs in 32 KiB calls, the server answers in up to 1 MiB. */
    private static final int READ_CHUNK = 1 << 20;
    /** ListContentResponse batches, as containerd streams them. */
    private static final int LIST_BATCH = 100;

    private final ContentService content;

    ContentGrpcService(ContentService content) {
        this.content = content;
    }

    @Override
    public void info(InfoRequest request, StreamObserver<InfoResponse> observer) {
        Unary.respond(observer, () -> InfoResponse.newBuilder()
                .setInfo(proto(content.info(RequestNamespace.current(), request.getDigest()))).build());
    }

    @Override
    public void update(UpdateRequest request, StreamObserver<UpdateResponse> observer) {
        Unary.respond(observer, () -> UpdateResponse.newBuilder().setInfo(proto(content.update(RequestNamespace.current(),
                request.getInfo().getDigest(), request.getInfo().getLabelsMap(), request.getUpdateMask().getPathsList()))).build());
    }

    @Override
    public void list(ListContentRequest request, StreamObserver<ListContentResponse> observer) {
        try {
            List<ContentRecord> all = content.list(RequestNamespace.current(), FilterParser.parse(request.getFiltersList()));
            for (int i = 0; i < all.size(); i += LIST_BATCH) {
                ListContentResponse.Builder b = ListContentResponse.newBuilder();
                all.subList(i, Math.min(all.size(), i + LIST_BATCH)).forEach(r -> b.addInfo(proto(r)));
                observer.onNext(b.build());
            }
            observer.onCompleted();
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void delete(DeleteContentRequest request, StreamObserver<Empty> observer) {
        Unary.respond(observer, () -> {
            content.delete(RequestNamespace.current(), request.getDigest());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void read(ReadContentRequest request, StreamObserver<ReadContentResponse> observer) {
        try (ContentReader reader = content.reader(RequestNamespace.current(), request.getDigest())) {
            long offset = request.getOffset();
            if (offset < 0 || offset > reader.size()) {
                throw JctrException.outOfRange("read @%d of content %s of size %d", offset, request.getDigest(), reader.size());
            }
            long end = request.getSize() > 0 ? Math.min(reader.size(), offset + request.getSize()) : reader.size();
            ServerCallStreamObserver<ReadContentResponse> call = (ServerCallStreamObserver<ReadContentResponse>) observer;
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(READ_CHUNK, Math.max(1, end - offset)));
            while (offset < end && !call.isCancelled()) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - offset));
                int n = reader.read(buf, offset);
                if (n <= 0) {
                    break;
                }
                buf.flip();
                observer.onNext(ReadContentResponse.newBuilder().setOffset(offset).setData(ByteString.copyFrom(buf)).build());
                offset += n;
            }
            observer.onCompleted();
        } catch (IOException e) {
            observer.onError(GrpcErrors.toStatus(new UncheckedIOException(e)));
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
        Unary.respondIo(observer, () -> StatusResponse.newBuilder()
                .setStatus(proto(content.status(RequestNamespace.current(), request.getRef()))).build());
    }

    @Override
    public void listStatuses(ListStatusesRequest request, StreamObserver<ListStatusesResponse> observer) {
        Unary.respondIo(observer, () -> {
            ListStatusesResponse.Builder b = ListStatusesResponse.newBuilder();
            content.statuses(RequestNamespace.current(), FilterParser.parse(request.getFiltersList()))
                    .forEach(s -> b.addStatuses(proto(s)));
            return b.build();
        });
    }

    @Override
    public void abort(AbortRequest request, StreamObserver<Empty> observer) {
        Unary.respondIo(observer, () -> {
            content.abort(RequestNamespace.current(), request.getRef());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public StreamObserver<WriteContentRequest> write(StreamObserver<WriteContentResponse> responses) {
        return new ContentWriteCall(content, RequestNamespace.current(), RequestLease.current(), responses);
    }

    static Info proto(ContentRecord r) {
        return Info.newBuilder().setDigest(r.digest()).setSize(r.size()).putAllLabels(r.labels())
                .setCreatedAt(Timestamps.parse(r.createdAt())).setUpdatedAt(Timestamps.parse(r.updatedAt())).build();
    }

    static io.jctr.api.services.content.v1.Status proto(IngestStatus s) {
        return io.jctr.api.services.content.v1.Status.newBuilder().setRef(s.ref()).setOffset(s.offset()).setTotal(s.total())
                .setExpected(s.expected()).setStartedAt(Timestamps.of(s.startedAt())).setUpdatedAt(Timestamps.of(s.updatedAt()))
                .build();
    }
}
