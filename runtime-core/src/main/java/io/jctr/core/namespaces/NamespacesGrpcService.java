package io.jctr.core.namespaces;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.namespaces.v1.CreateNamespaceRequest;
import io.jctr.api.services.namespaces.v1.CreateNamespaceResponse;
import io.jctr.api.services.namespaces.v1.DeleteNamespaceRequest;
import io.jctr.api.services.namespaces.v1.GetNamespaceRequest;
import io.jctr.api.services.namespaces.v1.GetNamespaceResponse;
import io.jctr.api.services.namespaces.v1.ListNamespacesRequest;
import io.jctr.api.services.namespaces.v1.ListNamespacesResponse;
import io.jctr.api.services.namespaces.v1.Namespace;
import io.jctr.api.services.namespaces.v1.NamespacesGrpc;
import io.jctr.api.services.namespaces.v1.UpdateNamespaceRequest;
import io.jctr.api.services.namespaces.v1.UpdateNamespaceResponse;
import io.jctr.core.filters.Filter;
import io.jctr.core.filters.FilterParser;
import io.jctr.core.grpc.Unary;
import java.util.List;

/** {@code containerd.services.namespaces.v1.Namespaces}: translation only, logic in {@link NamespaceService}. */
final class NamespacesGrpcService extends NamespacesGrpc.NamespacesImplBase {

    private final NamespaceService namespaces;

    NamespacesGrpcService(NamespaceService namespaces) {
        this.namespaces = namespaces;
    }

    @Override
    public void get(GetNamespaceRequest request, StreamObserver<GetNamespaceResponse> observer) {
        Unary.respond(observer, () -> GetNamespaceResponse.newBuilder()
                .setNamespace(proto(namespaces.get(request.getName()))).build());
    }

    @Override
    public void list(ListNamespacesRequest request, StreamObserver<ListNamespacesResponse> observer) {
        Unary.respond(observer, () -> {
            Filter filter = FilterParser.parse(request.getFilter());
            ListNamespacesResponse.Builder b = ListNamespacesResponse.newBuilder();
            for (NamespaceRecord r : namespaces.list()) {
                if (filter.test(Filter.adaptor(f -> f.equals("name") ? r.name() : null, r.labels()))) {
                    b.addNamespaces(proto(r));
                }
            }
            return b.build();
        });
    }

    @Override
    public void create(CreateNamespaceRequest request, StreamObserver<CreateNamespaceResponse> observer) {
        Namespace ns = request.getNamespace();
        Unary.respond(observer, () -> CreateNamespaceResponse.newBuilder()
                .setNamespace(proto(namespaces.create(ns.getName(), ns.getLabelsMap()))).build());
    }

    @Override
    public void update(UpdateNamespaceRequest request, StreamObserver<UpdateNamespaceResponse> observer) {
        Namespace ns = request.getNamespace();
        List<String> paths = request.getUpdateMask().getPathsList();
        Unary.respond(observer, () -> UpdateNamespaceResponse.newBuilder()
                .setNamespace(proto(namespaces.update(ns.getName(), ns.getLabelsMap(), paths))).build());
    }

    @Override
    public void delete(DeleteNamespaceRequest request, StreamObserver<Empty> observer) {
        Unary.respond(observer, () -> {
            namespaces.delete(request.getName());
            return Empty.getDefaultInstance();
        });
    }

    private static Namespace proto(NamespaceRecord r) {
        return Namespace.newBuilder().setName(r.name()).putAllLabels(r.labels()).build();
    }
}
