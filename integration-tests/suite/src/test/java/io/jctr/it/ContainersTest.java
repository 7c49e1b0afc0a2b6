package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jctr.api.services.containers.v1.Container;
import io.jctr.api.services.containers.v1.ContainersGrpc;
import io.jctr.api.services.containers.v1.CreateContainerRequest;
import io.jctr.api.services.containers.v1.DeleteContainerRequest;
import io.jctr.api.services.containers.v1.GetContainerRequest;
import io.jctr.api.services.containers.v1.UpdateContainerRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * containerd's containers API: records keep the OCI spec and runtime options ({@code Any})
 * byte for byte with containerd's type URLs, ctr lists and shows them, errors map as ctr expects.
 */
@Tag("root")
class ContainersTest {

    private static final String SPEC_URL = "types.containerd.io/opencontainers/runtime-spec/1/Spec";

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

    private static ContainersGrpc.ContainersBlockingStub containers() {
        return ContainersGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static Container container(String id) {
        String spec = "{\"ociVersion\":\"1.0.2-dev\",\"process\":{\"args\":[\"/bin/true\"],\"cwd\":\"/\"},\"root\":{\"path\":\"rootfs\"}}";
        return Container.newBuilder().setId(id).setImage("127.0.0.1:5000/busybox:latest").setSnapshotter("overlayfs")
                .setSnapshotKey(id).putLabels("team", "a")
                .setRuntime(Container.Runtime.newBuilder().setName("io.containerd.runc.v2")
                        .setOptions(Any.newBuilder().setTypeUrl("containerd.runc.v1.Options")))
                .setSpec(Any.newBuilder().setTypeUrl(SPEC_URL).setValue(ByteString.copyFrom(spec, StandardCharsets.UTF_8)))
                .build();
    }

    @Test
    void recordsRoundTripAndCtrShowsThem() {
        Container created = containers().create(CreateContainerRequest.newBuilder().setContainer(container("c1")).build()).getContainer();
        Container got = containers().get(GetContainerRequest.newBuilder().setId("c1").build()).getContainer();
        assertEquals(created, got);
        assertEquals(SPEC_URL, got.getSpec().getTypeUrl());
        assertEquals("containerd.runc.v1.Options", got.getRuntime().getOptions().getTypeUrl());

        var ls = run(ctr(daemon.address(), "containers", "ls")).ok();
        assertTrue(ls.out().contains("c1") && ls.out().contains("io.containerd.runc.v2"), ls.toString());
        var info = run(ctr(daemon.address(), "containers", "info", "c1")).ok();
        assertTrue(info.out().contains("\"/bin/true\"") && info.out().contains("\"team\": \"a\""), info.toString());
        run(ctr(daemon.address(), "containers", "label", "c1", "env=prod")).ok();
        assertEquals("prod", containers().get(GetContainerRequest.newBuilder().setId("c1").build()).getContainer().getLabelsOrThrow("env"));

        containers().update(UpdateContainerRequest.newBuilder().setContainer(container("c1").toBuilder().setImage("other:1"))
                .setUpdateMask(FieldMask.newBuilder().addPaths("image")).build());
        Container after = containers().get(GetContainerRequest.newBuilder().setId("c1").build()).getContainer();
        assertEquals("other:1", after.getImage());
        assertEquals(created.getSpec(), after.getSpec());
        containers().delete(DeleteContainerRequest.newBuilder().setId("c1").build());
    }

    @Test
    void badInputGetsContainerdsCodes() {
        containers().create(CreateContainerRequest.newBuilder().setContainer(container("dup")).build());
        assertEquals(Status.Code.ALREADY_EXISTS, code(() -> containers().create(
                CreateContainerRequest.newBuilder().setContainer(container("dup")).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> containers().create(
                CreateContainerRequest.newBuilder().setContainer(container("a/b")).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> containers().create(
                CreateContainerRequest.newBuilder().setContainer(container("nospec").toBuilder().clearSpec()).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> containers().update(UpdateContainerRequest.newBuilder()
                .setContainer(container("dup")).setUpdateMask(FieldMask.newBuilder().addPaths("runtime")).build())));
        var missing = run(ctr(daemon.address(), "containers", "info", "nosuch"));
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("container \"nosuch\" in namespace \"default\": not found"), missing.toString());
        containers().delete(DeleteContainerRequest.newBuilder().setId("dup").build());
        assertEquals(Status.Code.NOT_FOUND, code(() -> containers().delete(DeleteContainerRequest.newBuilder().setId("dup").build())));
    }

    private static Status.Code code(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }
}
