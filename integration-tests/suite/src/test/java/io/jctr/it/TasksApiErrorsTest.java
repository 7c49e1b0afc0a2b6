package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jctr.api.services.containers.v1.Container;
import io.jctr.api.services.containers.v1.ContainersGrpc;
import io.jctr.api.services.containers.v1.CreateContainerRequest;
import io.jctr.api.services.containers.v1.GetContainerRequest;
import io.jctr.api.services.tasks.v1.CreateTaskRequest;
import io.jctr.api.services.tasks.v1.DeleteTaskRequest;
import io.jctr.api.services.tasks.v1.ExecProcessRequest;
import io.jctr.api.services.tasks.v1.GetRequest;
import io.jctr.api.services.tasks.v1.KillRequest;
import io.jctr.api.services.tasks.v1.TasksGrpc;
import io.jctr.api.services.tasks.v1.WaitRequest;
import io.jctr.api.types.Mount;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bad requests to the Tasks API get containerd's status codes with messages naming the object,
 * and leave the container record, the bundles and the mounts as they were.
 */
@Tag("root")
class TasksApiErrorsTest {

    private static final String SPEC_URL = "types.containerd.io/opencontainers/runtime-spec/1/Spec";
    private static final String SPEC = "{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"/bin/true\"],\"cwd\":\"/\"},"
            + "\"root\":{\"path\":\"rootfs\"},\"linux\":{\"namespaces\":[{\"type\":\"mount\"},{\"type\":\"pid\"}]}}";

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

    private static TasksGrpc.TasksBlockingStub tasks() {
        return TasksGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static Container container(String id, String runtime, String snapshotKey, String spec) {
        Container c = Container.newBuilder().setId(id).setSnapshotter("overlayfs").setSnapshotKey(snapshotKey)
                .setRuntime(Container.Runtime.newBuilder().setName(runtime))
                .setSpec(Any.newBuilder().setTypeUrl(SPEC_URL).setValue(ByteString.copyFrom(spec, StandardCharsets.UTF_8)))
                .build();
        return ContainersGrpc.newBlockingStub(channel).create(CreateContainerRequest.newBuilder().setContainer(c).build())
                .getContainer();
    }

    private static StatusRuntimeException failure(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run);
    }

    private static void assertStatus(Status.Code code, String fragment, Runnable call) {
        StatusRuntimeException e = failure(call);
        assertEquals(code, e.getStatus().getCode(), e.toString());
        assertTrue(e.getStatus().getDescription().contains(fragment), e.getStatus().getDescription());
    }

    @Test
    void aTaskNeedsAContainerARuntimeAndARootFileSystem() {
        assertStatus(Status.Code.NOT_FOUND, "container \"nosuch\"",
                () -> tasks().create(CreateTaskRequest.newBuilder().setContainerId("nosuch").build()));
        container("nosnap", "io.containerd.runc.v2", "", SPEC);
        assertStatus(Status.Code.FAILED_PRECONDITION, "container \"nosnap\" has no snapshot",
                () -> tasks().create(CreateTaskRequest.newBuilder().setContainerId("nosnap").build()));
        container("lostsnap", "io.containerd.runc.v2", "lostsnap", SPEC);
        assertStatus(Status.Code.NOT_FOUND, "lostsnap",
                () -> tasks().create(CreateTaskRequest.newBuilder().setContainerId("lostsnap").build()));
        container("otherrt", "io.example.nosuch.v1", "otherrt", SPEC);
        assertStatus(Status.Code.NOT_FOUND, "runtime \"io.example.nosuch.v1\"",
                () -> tasks().create(CreateTaskRequest.newBuilder().setContainerId("otherrt").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "runtime options of type example.Options",
                () -> tasks().create(CreateTaskRequest.newBuilder().setContainerId("nosnap")
                        .setOptions(Any.newBuilder().setTypeUrl("example.Options")).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "container id",
                () -> tasks().create(CreateTaskRequest.newBuilder().setContainerId("a/../b").build()));
    }

    @Test
    void aGarbageSpecIsRejectedAndNothingStays() throws Exception {
        Container before = container("garbage", "io.containerd.runc.v2", "", "{\"process\": [not json");
        Path source = Files.createDirectories(daemon.dir.resolve("garbage-rootfs"));
        CreateTaskRequest request = CreateTaskRequest.newBuilder().setContainerId("garbage")
                .addRootfs(Mount.newBuilder().setType("bind").setSource(source.toString()).addOptions("rbind").addOptions("ro"))
                .build();
        assertStatus(Status.Code.INVALID_ARGUMENT, "config.json", () -> tasks().create(request));
        assertStatus(Status.Code.NOT_FOUND, "task garbage",
                () -> tasks().get(GetRequest.newBuilder().setContainerId("garbage").build()));
        assertEquals(before, ContainersGrpc.newBlockingStub(channel)
                .get(GetContainerRequest.newBuilder().setId("garbage").build()).getContainer());
        assertEquals(List.of(), StrayProcesses.mountsUnder(daemon.state));
        Path bundle = daemon.state.resolve("io.jctr.tasks.v1.tasks-service/bundles/default/garbage");
        assertTrue(!Files.exists(bundle), bundle + " left behind");
    }

    @Test
    void callsOnAContainerWithoutATaskAreNotFound() {
        container("idle", "io.containerd.runc.v2", "idle", SPEC);
        assertStatus(Status.Code.NOT_FOUND, "task idle", () -> tasks().get(GetRequest.newBuilder().setContainerId("idle").build()));
        assertStatus(Status.Code.NOT_FOUND, "task idle", () -> tasks().wait(WaitRequest.newBuilder().setContainerId("idle").build()));
        assertStatus(Status.Code.NOT_FOUND, "task idle",
                () -> tasks().kill(KillRequest.newBuilder().setContainerId("idle").setSignal(9).build()));
        assertStatus(Status.Code.NOT_FOUND, "task idle",
                () -> tasks().delete(DeleteTaskRequest.newBuilder().setContainerId("idle").build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "exec id",
                () -> tasks().exec(ExecProcessRequest.newBuilder().setContainerId("idle").build()));
    }
}
