package io.jctr.core.snapshots;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.snapshots.v1.CleanupRequest;
import io.jctr.api.services.snapshots.v1.CommitSnapshotRequest;
import io.jctr.api.services.snapshots.v1.Info;
import io.jctr.api.services.snapshots.v1.Kind;
import io.jctr.api.services.snapshots.v1.ListSnapshotsRequest;
import io.jctr.api.services.snapshots.v1.ListSnapshotsResponse;
import io.jctr.api.services.snapshots.v1.MountsRequest;
import io.jctr.api.services.snapshots.v1.MountsResponse;
import io.jctr.api.services.snapshots.v1.PrepareSnapshotRequest;
import io.jctr.api.services.snapshots.v1.PrepareSnapshotResponse;
import io.jctr.api.services.snapshots.v1.RemoveSnapshotRequest;
import io.jctr.api.services.snapshots.v1.SnapshotsGrpc;
import io.jctr.api.services.snapshots.v1.StatSnapshotRequest;
import io.jctr.api.services.snapshots.v1.StatSnapshotResponse;
import io.jctr.api.services.snapshots.v1.UpdateSnapshotRequest;
import io.jctr.api.services.snapshots.v1.UpdateSnapshotResponse;
import io.jctr.api.services.snapshots.v1.UsageRequest;
import io.jctr.api.services.snapshots.v1.UsageResponse;
import io.jctr.core.filters.FilterParser;
import io.jctr.core.grpc.GrpcErrors;
import io.jctr.core.grpc.RequestLease;
import io.jctr.core.grpc.RequestNamespace;
import io.jctr.core.grpc.Timestamps;
import io.jctr.core.grpc.Unary;
import io.jctr.spi.snapshots.Mount;
import io.jctr.spi.snapshots.Usage;
import java.util.List;

/** {@code containerd.services.snapshots.v1.Snapshots}: translation only, logic in {@link SnapshotService}. */
final class SnapshotsGrpcService extends SnapshotsGrpc.SnapshotsImplBase {

    private static final int LIST_BATCH = 100;

    private final SnapshotService snapshots;

    SnapshotsGrpcService(SnapshotService snapshots) {
        this.snapshots = snapshots;
    }

    @Override
    public void prepare(PrepareSnapshotRequest r, StreamObserver<PrepareSnapshotResponse> observer) {
        Unary.respondIo(observer, () -> PrepareSnapshotResponse.newBuilder().addAllMounts(proto(snapshots.prepare(
                RequestNamespace.current(), RequestLease.current(), r.getSnapshotter(), r.getKey(), r.getParent(), r.getLabelsMap()))).build());
    }

    @Override
    public void view(io.jctr.api.services.snapshots.v1.ViewSnapshotRequest r,
                     StreamObserver<io.jctr.api.services.snapshots.v1.ViewSnapshotResponse> observer) {
        Unary.respondIo(observer, () -> io.jctr.api.services.snapshots.v1.ViewSnapshotResponse.newBuilder().addAllMounts(proto(snapshots.view(
                RequestNamespace.current(), RequestLease.current(), r.getSnapshotter(), r.getKey(), r.getParent(), r.getLabelsMap()))).build());
    }

    @Override
    public void mounts(MountsRequest r, StreamObserver<MountsResponse> observer) {
        Unary.respondIo(observer, () -> MountsResponse.newBuilder()
                .addAllMounts(proto(snapshots.mounts(RequestNamespace.current(), r.getSnapshotter(), r.getKey()))).build());
    }

    @Override
    public void commit(CommitSnapshotRequest r, StreamObserver<Empty> observer) {
        Unary.respondIo(observer, () -> {
            snapshots.commit(RequestNamespace.current(), RequestLease.current(), r.getSnapshotter(), r.getName(), r.getKey(), r.getLabelsMap());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void remove(RemoveSnapshotRequest r, StreamObserver<Empty> observer) {
        Unary.respondIo(observer, () -> {
            snapshots.remove(RequestNamespace.current(), r.getSnapshotter(), r.getKey());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void stat(StatSnapshotRequest r, StreamObserver<StatSnapshotResponse> observer) {
        Unary.respondIo(observer, () -> StatSnapshotResponse.newBuilder()
                .setInfo(proto(snapshots.stat(RequestNamespace.current(), r.getSnapshotter(), r.getKey()))).build());
    }

    @Override
    public void update(UpdateSnapshotRequest r, StreamObserver<UpdateSnapshotResponse> observer) {
        Unary.respondIo(observer, () -> UpdateSnapshotResponse.newBuilder().setInfo(proto(snapshots.update(RequestNamespace.current(),
                r.getSnapshotter(), r.getInfo().getName(), r.getInfo().getLabelsMap(), r.getUpdateMask().getPathsList()))).build());
    }

    @Override
    public void list(ListSnapshotsRequest r, StreamObserver<ListSnapshotsResponse> observer) {
        try {
            List<SnapshotRecord> all = snapshots.list(RequestNamespace.current(), r.getSnapshotter(), FilterParser.parse(r.getFiltersList()));
            for (int i = 0; i < all.size(); i += LIST_BATCH) {
                ListSnapshotsResponse.Builder b = ListSnapshotsResponse.newBuilder();
                all.subList(i, Math.min(all.size(), i + LIST_BATCH)).forEach(s -> b.addInfo(proto(s)));
                observer.onNext(b.build());
            }
            observer.onCompleted();
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void usage(UsageRequest r, StreamObserver<UsageResponse> observer) {
        Unary.respondIo(observer, () -> {
            Usage u = snapshots.usage(RequestNamespace.current(), r.getSnapshotter(), r.getKey());
            return UsageResponse.newBuilder().setSize(u.size()).setInodes(u.inodes()).build();
        });
    }

    @Override
    public void cleanup(CleanupRequest r, StreamObserver<Empty> observer) {
        Unary.respondIo(observer, () -> {
            snapshots.cleanup(r.getSnapshotter());
            return Empty.getDefaultInstance();
        });
    }

    private static List<io.jctr.api.types.Mount> proto(List<Mount> mounts) {
        return mounts.stream().map(m -> io.jctr.api.types.Mount.newBuilder().setType(m.type()).setSource(m.source())
                .setTarget(m.target()).addAllOptions(m.options()).build()).toList();
    }

    private static Info proto(SnapshotRecord r) {
        Kind kind = switch (r.kind()) {
            case VIEW -> Kind.VIEW;
            case ACTIVE -> Kind.ACTIVE;
            case COMMITTED -> Kind.COMMITTED;
        };
        return Info.newBuilder().setName(r.key()).setParent(r.parent()).setKind(kind).putAllLabels(r.labels())
                .setCreatedAt(Timestamps.parse(r.createdAt())).setUpdatedAt(Timestamps.parse(r.updatedAt())).build();
    }
}
