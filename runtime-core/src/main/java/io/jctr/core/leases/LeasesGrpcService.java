package io.jctr.core.leases;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.leases.v1.AddResourceRequest;
import io.jctr.api.services.leases.v1.CreateRequest;
import io.jctr.api.services.leases.v1.CreateResponse;
import io.jctr.api.services.leases.v1.DeleteRequest;
import io.jctr.api.services.leases.v1.DeleteResourceRequest;
import io.jctr.api.services.leases.v1.Lease;
import io.jctr.api.services.leases.v1.LeasesGrpc;
import io.jctr.api.services.leases.v1.ListRequest;
import io.jctr.api.services.leases.v1.ListResourcesRequest;
import io.jctr.api.services.leases.v1.ListResourcesResponse;
import io.jctr.api.services.leases.v1.ListResponse;
import io.jctr.api.services.leases.v1.Resource;
import io.jctr.core.filters.FilterParser;
import io.jctr.core.grpc.RequestNamespace;
import io.jctr.core.grpc.Timestamps;
import io.jctr.core.grpc.Unary;

/**
 * {@code containerd.services.leases.v1.Leases}: every method. Resources are also added
 * implicitly by the content and snapshot services for calls that carry a lease.
 */
final class LeasesGrpcService extends LeasesGrpc.LeasesImplBase {

    private final LeaseService leases;
    private final Runnable syncCollect;

    /** @param syncCollect runs a garbage collection and returns when it is done */
    LeasesGrpcService(LeaseService leases, Runnable syncCollect) {
        this.leases = leases;
        this.syncCollect = syncCollect;
    }

    @Override
    public void create(CreateRequest request, StreamObserver<CreateResponse> observer) {
        Unary.respond(observer, () -> CreateResponse.newBuilder()
                .setLease(proto(leases.create(RequestNamespace.current(), request.getId(), request.getLabelsMap()))).build());
    }

    @Override
    public void list(ListRequest request, StreamObserver<ListResponse> observer) {
        Unary.respond(observer, () -> {
            ListResponse.Builder b = ListResponse.newBuilder();
            leases.list(RequestNamespace.current(), FilterParser.parse(request.getFiltersList()))
                    .forEach(r -> b.addLeases(proto(r)));
            return b.build();
        });
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<Empty> observer) {
        Unary.respond(observer, () -> {
            leases.delete(RequestNamespace.current(), request.getId());
            if (request.getSync()) {
                syncCollect.run();
            }
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void addResource(AddResourceRequest request, StreamObserver<Empty> observer) {
        Unary.respond(observer, () -> {
            leases.addResource(RequestNamespace.current(), request.getId(), resource(request.getResource()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void deleteResource(DeleteResourceRequest request, StreamObserver<Empty> observer) {
        Unary.respond(observer, () -> {
            leases.deleteResource(RequestNamespace.current(), request.getId(), resource(request.getResource()));
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void listResources(ListResourcesRequest request, StreamObserver<ListResourcesResponse> observer) {
        Unary.respond(observer, () -> {
            ListResourcesResponse.Builder b = ListResourcesResponse.newBuilder();
            leases.resources(RequestNamespace.current(), request.getId())
                    .forEach(r -> b.addResources(Resource.newBuilder().setType(r.type()).setId(r.id())));
            return b.build();
        });
    }

    private static LeaseResource resource(Resource r) {
        return new LeaseResource(r.getType(), r.getId());
    }

    private static Lease proto(LeaseRecord r) {
        return Lease.newBuilder().setId(r.id()).setCreatedAt(Timestamps.parse(r.createdAt())).putAllLabels(r.labels()).build();
    }
}
