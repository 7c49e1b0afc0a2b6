package io.jctr.core.version;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.version.v1.VersionGrpc;
import io.jctr.api.services.version.v1.VersionResponse;
import io.jctr.core.grpc.Unary;

/** {@code containerd.services.version.v1.Version}. */
final class VersionGrpcService extends VersionGrpc.VersionImplBase {

    @Override
    public void version(Empty request, StreamObserver<VersionResponse> observer) {
        Unary.respond(observer, () -> VersionResponse.newBuilder()
                .setVersion(JctrVersion.VERSION).setRevision(JctrVersion.REVISION).build());
    }
}
