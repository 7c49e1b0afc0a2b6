package io.jctr.cli.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.BytesValue;
import com.google.protobuf.Empty;
import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.namespaces.v1.DeleteNamespaceRequest;
import io.jctr.api.services.namespaces.v1.GetNamespaceRequest;
import io.jctr.api.services.namespaces.v1.NamespacesGrpc;
import io.jctr.api.services.version.v1.VersionGrpc;
import io.jctr.api.services.version.v1.VersionResponse;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The channel against grpc-java's Netty server on a unix socket, as the CLI meets the daemon. */
class UnixH2cChannelTest {

    @TempDir
    Path dir;

    private Path socket;
    private TestServices services;
    private GrpcTestServer server;
    private UnixH2cChannel channel;

    @BeforeEach
    void start() throws IOException {
        socket = dir.resolve("jctr.sock");
        services = new TestServices();
        server = GrpcTestServer.start(socket, services.all());
        channel = UnixH2cChannel.connect(socket);
    }

    @AfterEach
    void stop() {
        channel.close();
        server.close();
    }

    @Test
    void unaryCallWithTheGeneratedBlockingStub() {
        VersionResponse v = VersionGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).version(Empty.getDefaultInstance());
        assertEquals("1.2.3-test", v.getVersion());
        assertEquals("abc123", v.getRevision());
    }

    @Test
    void metadataReachesTheServer() {
        Metadata extra = new Metadata();
        extra.put(TestServices.NAMESPACE, "jctr-test");
        byte[] trace = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
        extra.put(TestServices.TRACE, trace);
        Channel withHeaders = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(extra));
        NamespacesGrpc.newBlockingStub(withHeaders).withDeadlineAfter(5, TimeUnit.SECONDS).get(GetNamespaceRequest.newBuilder().setName("default").build());

        Metadata seen = services.headers.get("containerd.services.namespaces.v1.Namespaces/Get");
        assertEquals("jctr-test", seen.get(TestServices.NAMESPACE));
        assertArrayEquals(trace, seen.get(TestServices.TRACE));
        assertEquals("jctr", seen.get(Metadata.Key.of("user-agent", Metadata.ASCII_STRING_MARSHALLER)).split(" ")[0]);
        String timeout = seen.get(Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER));
        assertTrue(timeout == null || timeout.matches("\\d{1,8}[HMSmun]"), timeout);
    }

    @Test
    void errorStatusWithALongNonAsciiMessageAndTrailers() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> NamespacesGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS).get(GetNamespaceRequest.newBuilder().setName("missing").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(TestServices.NOT_FOUND_MESSAGE.getBytes(StandardCharsets.UTF_8).length > 1024);
        assertEquals(TestServices.NOT_FOUND_MESSAGE, e.getStatus().getDescription());
        assertEquals("no such namespace", e.getTrailers().get(TestServices.DETAIL));
        // the dynamic table survives: the same error again, then a success
        StatusRuntimeException again = assertThrows(StatusRuntimeException.class, () -> NamespacesGrpc.newBlockingStub(channel)
                .get(GetNamespaceRequest.newBuilder().setName("missing").build()));
        assertEquals(TestServices.NOT_FOUND_MESSAGE, again.getStatus().getDescription());
        assertEquals("default", NamespacesGrpc.newBlockingStub(channel).get(GetNamespaceRequest.newBuilder().setName("default").build()).getNamespace().getName());
    }

    @Test
    void largeUnaryResponsesNeedConnectionWindowUpdates() {
        int size = 10 << 20;
        // three 10 MiB responses on one connection overrun its 16 MiB window unless WINDOW_UPDATE flows
        for (int i = 0; i < 3; i++) {
            String blob = NamespacesGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .get(GetNamespaceRequest.newBuilder().setName("big-" + size).build()).getNamespace().getLabelsOrThrow("blob");
            assertEquals(size, blob.length());
        }
    }

    @Test
    void serverStreamingBeyondTheStreamWindow() {
        // 40 MiB on one stream: its 16 MiB window must be replenished as messages are consumed
        Iterator<BytesValue> it = ClientCalls.blockingServerStreamingCall(channel, TestServices.BLOBS,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), StringValue.of("40 1048576"));
        int n = 0;
        while (it.hasNext()) {
            assertEquals(TestServices.blob(1 << 20, n), it.next().getValue(), "message " + n);
            n++;
        }
        assertEquals(40, n);
    }

    @Test
    void serverStreamingManySmallMessages() {
        Iterator<BytesValue> it = ClientCalls.blockingServerStreamingCall(channel, TestServices.BLOBS,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), StringValue.of("5000 7"));
        int n = 0;
        for (; it.hasNext(); n++) {
            assertEquals(TestServices.blob(7, n), it.next().getValue());
        }
        assertEquals(5000, n);
    }

    @Test
    void serverStreamingEndingWithAnError() {
        Iterator<BytesValue> it = ClientCalls.blockingServerStreamingCall(channel, TestServices.BLOBS,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), StringValue.of("2 100 ABORTED"));
        assertEquals(100, it.next().getValue().size());
        assertEquals(100, it.next().getValue().size());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, it::hasNext);
        assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
        assertEquals("failed after 2", e.getStatus().getDescription());
    }

    @Test
    void requestBoundsDeliveryAndMessagesBeforeAnErrorStillArrive() throws Exception {
        ClientCall<StringValue, BytesValue> call = channel.newCall(TestServices.BLOBS, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(BytesValue message) {
                events.add(message);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                events.add(status);
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(StringValue.of("3 10 ABORTED"));
        call.halfClose();
        assertInstanceOf(BytesValue.class, events.poll(5, TimeUnit.SECONDS));
        // the other messages and the status have arrived by now, but only one message was requested
        assertNull(events.poll(300, TimeUnit.MILLISECONDS));
        call.request(5);
        assertEquals(TestServices.blob(10, 1), ((BytesValue) events.poll(5, TimeUnit.SECONDS)).getValue());
        assertEquals(TestServices.blob(10, 2), ((BytesValue) events.poll(5, TimeUnit.SECONDS)).getValue());
        assertEquals(Status.Code.ABORTED, ((Status) events.poll(5, TimeUnit.SECONDS)).getCode());
        assertNull(events.poll(100, TimeUnit.MILLISECONDS), "onClose exactly once, last");
    }

    @Test
    void deadlineAgainstAHandlerThatNeverAnswers() {
        long start = System.nanoTime();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> NamespacesGrpc.newBlockingStub(channel)
                .withDeadlineAfter(300, TimeUnit.MILLISECONDS).delete(DeleteNamespaceRequest.newBuilder().setName("x").build()));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        assertTrue(millis >= 250 && millis < 3000, millis + " ms");
    }

    @Test
    void deadlineAgainstASocketThatNeverSpeaks() throws IOException {
        Path silent = dir.resolve("silent.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(silent));
            try (UnixH2cChannel c = UnixH2cChannel.connect(silent)) {
                long start = System.nanoTime();
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> VersionGrpc.newBlockingStub(c)
                        .withDeadlineAfter(200, TimeUnit.MILLISECONDS).version(Empty.getDefaultInstance()));
                assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
            }
        }
    }

    @Test
    void concurrentCallsFromFourThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 100; i++) {
                        if (i % 3 == 0) {
                            int size = 1000 * (thread + 1) + i;
                            String blob = NamespacesGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                                    .get(GetNamespaceRequest.newBuilder().setName("big-" + size).build()).getNamespace().getLabelsOrThrow("blob");
                            ok += blob.length() == size ? 1 : 0;
                        } else {
                            VersionResponse v = VersionGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).version(Empty.getDefaultInstance());
                            ok += v.getVersion().equals("1.2.3-test") ? 1 : 0;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> r : results) {
                assertEquals(100, r.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingSocketIsUnavailableWithTheIoException() {
        try (UnixH2cChannel c = UnixH2cChannel.connect(dir.resolve("absent.sock"))) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> VersionGrpc.newBlockingStub(c).withDeadlineAfter(5, TimeUnit.SECONDS).version(Empty.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().startsWith("io exception"), e.getStatus().getDescription());
            assertInstanceOf(IOException.class, e.getStatus().getCause());
        }
    }

    @Test
    void refusedConnectionIsUnavailableWithTheIoException() throws IOException {
        Path stale = dir.resolve("stale.sock");
        // a socket file nobody listens on any more: connect gets ECONNREFUSED
        ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        gone.bind(UnixDomainSocketAddress.of(stale));
        gone.close();
        try (UnixH2cChannel c = UnixH2cChannel.connect(stale)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> VersionGrpc.newBlockingStub(c).version(Empty.getDefaultInstance()));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().startsWith("io exception"), e.getStatus().getDescription());
            assertInstanceOf(IOException.class, e.getStatus().getCause());
        }
    }

    @Test
    void clientStreamingIsUnimplemented() throws Exception {
        ClientCall<StringValue, BytesValue> call = channel.newCall(TestServices.UPLOAD, CallOptions.DEFAULT);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        Status status = closed.get(5, TimeUnit.SECONDS);
        assertEquals(Status.Code.UNIMPLEMENTED, status.getCode());
        assertEquals("client streaming is not supported by this transport", status.getDescription());
    }

    @Test
    void asyncStubWithoutAnExecutor() throws Exception {
        CompletableFuture<VersionResponse> result = new CompletableFuture<>();
        VersionGrpc.newStub(channel).version(Empty.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(VersionResponse value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        assertEquals("1.2.3-test", result.get(5, TimeUnit.SECONDS).getVersion());
    }

    @Test
    void cancelResetsTheStreamOnTheServer() throws Exception {
        ClientCall<DeleteNamespaceRequest, Empty> call = channel.newCall(NamespacesGrpc.getDeleteMethod(), CallOptions.DEFAULT);
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(DeleteNamespaceRequest.newBuilder().setName("x").build());
        call.halfClose();
        // wait until the server has the call, then cancel it
        for (int i = 0; i < 250 && !services.headers.containsKey("containerd.services.namespaces.v1.Namespaces/Delete"); i++) {
            Thread.sleep(20);
        }
        call.cancel("test cancels", null);
        assertEquals(Status.Code.CANCELLED, closed.get(5, TimeUnit.SECONDS).getCode());
        assertTrue(services.cancelledHangs.await(5, TimeUnit.SECONDS), "the server saw RST_STREAM");
        // the connection is still fine
        assertEquals("1.2.3-test", VersionGrpc.newBlockingStub(channel).version(Empty.getDefaultInstance()).getVersion());
    }

    @Test
    void closingTheChannelEndsCallsInFlight() throws Exception {
        CompletableFuture<StatusRuntimeException> failure = CompletableFuture.supplyAsync(() -> assertThrows(StatusRuntimeException.class,
                () -> NamespacesGrpc.newBlockingStub(channel).delete(DeleteNamespaceRequest.newBuilder().setName("x").build())));
        for (int i = 0; i < 250 && !services.headers.containsKey("containerd.services.namespaces.v1.Namespaces/Delete"); i++) {
            Thread.sleep(20);
        }
        channel.close();
        Status status = failure.get(5, TimeUnit.SECONDS).getStatus();
        assertEquals(Status.Code.UNAVAILABLE, status.getCode());
        assertEquals("channel closed", status.getDescription());
        StatusRuntimeException after = assertThrows(StatusRuntimeException.class,
                () -> VersionGrpc.newBlockingStub(channel).version(Empty.getDefaultInstance()));
        assertEquals("channel closed", after.getStatus().getDescription());
    }

    @Test
    void reconnectsAfterTheServerRestarts() throws Exception {
        assertEquals("1.2.3-test", VersionGrpc.newBlockingStub(channel).version(Empty.getDefaultInstance()).getVersion());
        server.close();
        server = GrpcTestServer.start(socket, new TestServices().all());
        // the old connection may not have noticed the restart yet: a call on it fails UNAVAILABLE,
        // and the next one connects afresh
        VersionResponse v = null;
        for (int i = 0; i < 50 && v == null; i++) {
            try {
                v = VersionGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).version(Empty.getDefaultInstance());
            } catch (StatusRuntimeException e) {
                assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
                Thread.sleep(20);
            }
        }
        assertEquals("1.2.3-test", v == null ? null : v.getVersion());
    }

    @Test
    void aServerThatIsNotGrpcIsReported() throws Exception {
        // sanity for SocketChannel use in tests: a connection that closes at once
        Path closing = dir.resolve("closing.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(closing));
            Thread acceptor = new Thread(() -> {
                try (SocketChannel accepted = listener.accept()) {
                    accepted.shutdownOutput();
                } catch (IOException e) {
                    // the test fails on the client side
                }
            });
            acceptor.start();
            try (UnixH2cChannel c = UnixH2cChannel.connect(closing)) {
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                        () -> VersionGrpc.newBlockingStub(c).withDeadlineAfter(5, TimeUnit.SECONDS).version(Empty.getDefaultInstance()));
                assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
            }
            acceptor.join(5000);
        }
    }
}
