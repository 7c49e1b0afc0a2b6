package io.jctr.core.containers;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.containers.v1.Container;
import io.jctr.api.services.containers.v1.ContainersGrpc;
import io.jctr.api.services.containers.v1.CreateContainerRequest;
import io.jctr.api.services.containers.v1.CreateContainerResponse;
import io.jctr.api.services.containers.v1.DeleteContainerRequest;
import io.jctr.api.services.containers.v1.GetContainerRequest;
import io.jctr.api.services.containers.v1.GetContainerResponse;
import io.jctr.api.services.containers.v1.ListContainerMessage;
import io.jctr.api.services.containers.v1.ListContainersRequest;
import io.jctr.api.services.containers.v1.ListContainersResponse;
import io.jctr.api.services.containers.v1.UpdateContainerRequest;
import io.jctr.api.services.containers.v1.UpdateContainerResponse;
import io.jctr.core.filters.FilterParser;
import io.jctr.core.grpc.GrpcErrors;
import io.jctr.core.grpc.RequestNamespace;
import io.jctr.core.grpc.Unary;
import java.util.List;

/** {@code containerd.services.containers.v1.Containers}: translation only, logic in {@link ContainerService}. */
final class ContainersGrpcService extends ContainersGrpc.ContainersImplBase {

    private final ContainerService containers;

    ContainersGrpcService(ContainerService containers) {
        this.containers = containers;
    }

    @Override
    public void get(GetContainerRequest request, StreamObserver<GetContainerResponse> observer) {
        Unary.respond(observer, () -> GetContainerResponse.newBuilder()
                .setContainer(containers.get(RequestNamespace.current(), request.getId())).build());
    }

    @Override
    public void list(ListContainersRequest request, StreamObserver<ListContainersResponse> observer) {
        Unary.respond(observer, () -> ListContainersResponse.newBuilder()
                .addAllContainers(containers.list(RequestNamespace.current(), FilterParser.parse(request.getFiltersList()))).build());
    }

    @Override
    public void listStream(ListContainersRequest request, StreamObserver<ListContainerMessage> observer) {
        try {
            List<Container> all = containers.list(RequestNamespace.current(), FilterParser.parse(request.getFiltersList()));
            all.forEach(c -> observer.onNext(ListContainerMessage.newBuilder().setContainer(c).build()));
            observer.onCompleted();
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e));
        }
    }

    @Override
    public void create(CreateContainerRequest request, StreamObserver<CreateContainerResponse> observer) {
        Unary.respond(observer, () -> CreateContainerResponse.newBuilder()
                .setContainer(containers.create(RequestNamespace.current(), request.getContainer())).build());
    }

    @Override
    public void update(UpdateContainerRequest request, StreamObserver<UpdateContainerResponse> observer) {
        Unary.respond(observer, () -> UpdateContainerResponse.newBuilder().setContainer(containers.update(
                RequestNamespace.current(), request.getContainer(), request.getUpdateMask().getPathsList())).build());
    }

    @Override
    public void delete(DeleteContainerRequest request, StreamObserver<Empty> observer) {
        Unary.respond(observer, () -> {
            containers.delete(RequestNamespace.current(), request.getId());
            return Empty.getDefaultInstance();
        });
    }
}
