package io.jctr.core.diff;

import io.grpc.stub.StreamObserver;
import io.jctr.api.services.diff.v1.ApplyRequest;
import io.jctr.api.services.diff.v1.ApplyResponse;
import io.jctr.api.services.diff.v1.DiffGrpc;
import io.jctr.api.types.Descriptor;
import io.jctr.core.grpc.RequestNamespace;
import io.jctr.core.grpc.Unary;
import io.jctr.spi.snapshots.Mount;
import java.util.List;

/**
 * {@code containerd.services.diff.v1.Diff}: Apply (what unpacking needs). Diff, computing a
 * layer from two mounts, is not served yet and answers UNIMPLEMENTED.
 */
final class DiffGrpcService extends DiffGrpc.DiffImplBase {

    /** What Apply reports: the uncompressed layer. */
    static final String UNCOMPRESSED_LAYER = "application/vnd.oci.image.layer.v1.tar";

    private final DiffService diffs;

    DiffGrpcService(DiffService diffs) {
        this.diffs = diffs;
    }

    @Override
    public void apply(ApplyRequest request, StreamObserver<ApplyResponse> observer) {
        Unary.respondIo(observer, () -> {
            Descriptor d = request.getDiff();
            List<Mount> mounts = request.getMountsList().stream()
                    .map(m -> new Mount(m.getType(), m.getSource(), m.getTarget(), m.getOptionsList())).toList();
            AppliedLayer applied = diffs.apply(RequestNamespace.current(), d.getMediaType(), d.getDigest(), mounts);
            return ApplyResponse.newBuilder().setApplied(Descriptor.newBuilder().setMediaType(UNCOMPRESSED_LAYER)
                    .setDigest(applied.diffId()).setSize(applied.size())).build();
        });
    }
}
