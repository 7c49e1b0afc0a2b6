package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.content.v1.ContentGrpc;
import io.jctr.api.services.content.v1.WriteAction;
import io.jctr.api.services.content.v1.WriteContentRequest;
import io.jctr.api.services.content.v1.WriteContentResponse;
import io.jctr.api.services.leases.v1.AddResourceRequest;
import io.jctr.api.services.leases.v1.CreateRequest;
import io.jctr.api.services.leases.v1.DeleteResourceRequest;
import io.jctr.api.services.leases.v1.LeasesGrpc;
import io.jctr.api.services.leases.v1.ListResourcesRequest;
import io.jctr.api.services.leases.v1.Resource;
import io.jctr.api.services.snapshots.v1.PrepareSnapshotRequest;
import io.jctr.api.services.snapshots.v1.SnapshotsGrpc;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a call made under the {@code containerd-lease} header creates is held by that lease. */
@Tag("root")
class LeaseResourcesTest {

    private static JctrDaemon daemon;
    private static ApiChannel api;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
        api = ApiChannel.open(daemon);
        channel = api.channel;
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        daemon.close();
    }

    private static Channel with(String lease) {
        Metadata h = new Metadata();
        h.put(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER), "leased");
        if (lease != null) {
            h.put(Metadata.Key.of("containerd-lease", Metadata.ASCII_STRING_MARSHALLER), lease);
        }
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(h));
    }

    private static List<String> resources(String lease) {
        return LeasesGrpc.newBlockingStub(with(null)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .listResources(ListResourcesRequest.newBuilder().setId(lease).build()).getResourcesList()
                .stream().map(r -> r.getType() + ":" + r.getId()).toList();
    }

    /** One Content.Write stream: STAT, WRITE, COMMIT, as ctr does it. */
    private static void write(Channel ch, String ref, byte[] data, String digest) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<WriteContentRequest> requests = ContentGrpc.newStub(ch).write(new StreamObserver<WriteContentResponse>() {
            @Override
            public void onNext(WriteContentResponse r) {
                if (r.getAction() == WriteAction.COMMIT) {
                    done.complete(null);
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        requests.onNext(WriteContentRequest.newBuilder().setRef(ref).setTotal(data.length).setExpected(digest).build());
        requests.onNext(WriteContentRequest.newBuilder().setAction(WriteAction.WRITE).setData(ByteString.copyFrom(data)).build());
        requests.onNext(WriteContentRequest.newBuilder().setAction(WriteAction.COMMIT).setTotal(data.length).setExpected(digest).build());
        try {
            done.get(20, TimeUnit.SECONDS);
        } finally {
            requests.onCompleted();
        }
    }

    @Test
    void contentAndSnapshotsCreatedUnderALeaseAreItsResources() throws Exception {
        LeasesGrpc.newBlockingStub(with(null)).create(CreateRequest.newBuilder().setId("pull-1").build());
        byte[] data = "leased blob\n".getBytes(StandardCharsets.UTF_8);
        String digest = OciArchive.sha256(data);
        write(with("pull-1"), "layer-1", data, digest);
        SnapshotsGrpc.newBlockingStub(with("pull-1")).withDeadlineAfter(10, TimeUnit.SECONDS)
                .prepare(PrepareSnapshotRequest.newBuilder().setSnapshotter("native").setKey("extract-1").build());
        assertEquals(List.of("ingests:layer-1", "content:" + digest, "snapshots/native:extract-1"), resources("pull-1"));

        var leases = LeasesGrpc.newBlockingStub(with(null));
        leases.addResource(AddResourceRequest.newBuilder().setId("pull-1")
                .setResource(Resource.newBuilder().setType("content").setId("sha256:" + "a".repeat(64))).build());
        leases.deleteResource(DeleteResourceRequest.newBuilder().setId("pull-1")
                .setResource(Resource.newBuilder().setType("ingests").setId("layer-1")).build());
        assertEquals(List.of("content:" + digest, "snapshots/native:extract-1", "content:sha256:" + "a".repeat(64)), resources("pull-1"));

        var bad = assertThrows(StatusRuntimeException.class, () -> leases.addResource(AddResourceRequest.newBuilder().setId("pull-1")
                .setResource(Resource.newBuilder().setType("volumes").setId("x")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
    }

    @Test
    void writingUnderAnUnknownLeaseIsNotFoundAndStoresNothing() {
        var e = assertThrows(StatusRuntimeException.class, () -> SnapshotsGrpc.newBlockingStub(with("no-such-lease"))
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .prepare(PrepareSnapshotRequest.newBuilder().setSnapshotter("native").setKey("orphan").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("lease \"no-such-lease\""), e.getStatus().toString());
        var ls = Commands.run(Commands.ctr(daemon.address(), "-n", "leased", "snapshots", "--snapshotter", "native", "ls")).ok();
        assertTrue(!ls.out().contains("orphan"), ls.toString());
    }
}
