package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.jctr.api.services.leases.v1.CreateRequest;
import io.jctr.api.services.leases.v1.LeasesGrpc;
import io.jctr.api.services.namespaces.v1.CreateNamespaceRequest;
import io.jctr.api.services.namespaces.v1.DeleteNamespaceRequest;
import io.jctr.api.services.namespaces.v1.GetNamespaceRequest;
import io.jctr.api.services.namespaces.v1.ListNamespacesRequest;
import io.jctr.api.services.namespaces.v1.Namespace;
import io.jctr.api.services.namespaces.v1.NamespacesGrpc;
import io.jctr.api.services.namespaces.v1.UpdateNamespaceRequest;
import com.google.protobuf.FieldMask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Bad input over the wire gets the gRPC status containerd would give, and changes nothing. */
@Tag("root")
class GrpcStatusTest {

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

    private static NamespacesGrpc.NamespacesBlockingStub namespaces() {
        return NamespacesGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    /** A leases stub whose calls carry {@code namespace} in containerd's metadata key. */
    private static LeasesGrpc.LeasesBlockingStub leasesIn(String namespace) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER), namespace);
        return LeasesGrpc.newBlockingStub(ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    private static CreateNamespaceRequest create(String name) {
        return CreateNamespaceRequest.newBuilder().setNamespace(Namespace.newBuilder().setName(name).putLabels("k", "v")).build();
    }

    @Test
    void namespaceErrorsMapToContainerdStatusCodes() {
        namespaces().create(create("wire1"));
        assertEquals(Status.Code.ALREADY_EXISTS, code(() -> namespaces().create(create("wire1"))));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> namespaces().create(create("not valid"))));
        // as containerd, Get reads a missing namespace as one without labels (its Go client relies on it)
        assertEquals(0, namespaces().get(GetNamespaceRequest.newBuilder().setName("absent").build()).getNamespace().getLabelsCount());
        assertEquals(Status.Code.NOT_FOUND, code(() -> namespaces().delete(DeleteNamespaceRequest.newBuilder().setName("absent").build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> namespaces().update(UpdateNamespaceRequest.newBuilder()
                .setNamespace(Namespace.newBuilder().setName("wire1"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("name")).build())));
        // nothing above changed what was stored
        Namespace stored = namespaces().get(GetNamespaceRequest.newBuilder().setName("wire1").build()).getNamespace();
        assertEquals("v", stored.getLabelsOrThrow("k"));
        assertEquals(1, namespaces().list(ListNamespacesRequest.getDefaultInstance()).getNamespacesList().stream()
                .filter(n -> n.getName().equals("wire1")).count());
    }

    @Test
    void aNonEmptyNamespaceIsFailedPrecondition() {
        var leases = leasesIn("wire2");
        leases.create(CreateRequest.newBuilder().setId("hold").build());
        assertEquals(Status.Code.ALREADY_EXISTS, code(() -> leases.create(CreateRequest.newBuilder().setId("hold").build())));
        assertEquals(Status.Code.FAILED_PRECONDITION,
                code(() -> namespaces().delete(DeleteNamespaceRequest.newBuilder().setName("wire2").build())));
    }

    @Test
    void aMalformedNamespaceHeaderIsInvalidArgument() {
        var leases = leasesIn("../etc");
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> leases.create(CreateRequest.newBuilder().setId("x").build())));
    }
}
