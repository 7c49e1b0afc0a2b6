package io.jctr.cli.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import com.google.protobuf.Empty;
import com.google.protobuf.StringValue;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.namespaces.v1.DeleteNamespaceRequest;
import io.jctr.api.services.namespaces.v1.GetNamespaceRequest;
import io.jctr.api.services.namespaces.v1.GetNamespaceResponse;
import io.jctr.api.services.namespaces.v1.Namespace;
import io.jctr.api.services.namespaces.v1.NamespacesGrpc;
import io.jctr.api.services.version.v1.VersionGrpc;
import io.jctr.api.services.version.v1.VersionResponse;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/** The services the end-to-end tests call, and what the server saw of the calls. */
final class TestServices {

    static final Metadata.Key<String> NAMESPACE = Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<byte[]> TRACE = Metadata.Key.of("jctr-trace-bin", Metadata.BINARY_BYTE_MARSHALLER);
    static final Metadata.Key<String> DETAIL = Metadata.Key.of("jctr-detail", Metadata.ASCII_STRING_MARSHALLER);

    /** "namespace «missing» not found", padded with non-ASCII text well past the 512 octets where Netty starts Huffman coding. */
    static final String NOT_FOUND_MESSAGE = "namespace «missing» not found: " + "conteneur introuvable — 容器不存在 ✓ ".repeat(40);

    /** Server streaming: the request "count size [code]" answers count messages of size bytes, then ends with code (OK by default). */
    static final MethodDescriptor<StringValue, BytesValue> BLOBS = MethodDescriptor.<StringValue, BytesValue>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("jctr.test.Streams", "Blobs"))
            .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(BytesValue.getDefaultInstance()))
            .build();

    static final MethodDescriptor<StringValue, BytesValue> UPLOAD = MethodDescriptor.<StringValue, BytesValue>newBuilder()
            .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("jctr.test.Streams", "Upload"))
            .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(BytesValue.getDefaultInstance()))
            .build();

    /** Request headers by method, the last call's. */
    final Map<String, Metadata> headers = new ConcurrentHashMap<>();
    /** Calls to Delete, which never answers; counted down when the client cancels one. */
    final CountDownLatch cancelledHangs = new CountDownLatch(1);
    private final Queue<StreamObserver<?>> hanging = new ConcurrentLinkedQueue<>();

    ServerServiceDefinition[] all() {
        ServerInterceptor capture = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h, ServerCallHandler<Q, R> next) {
                headers.put(call.getMethodDescriptor().getFullMethodName(), h);
                return Contexts.interceptCall(Context.current(), call, h, next);
            }
        };
        return new ServerServiceDefinition[] {
            ServerInterceptors.intercept(new Version(), capture),
            ServerInterceptors.intercept(new Namespaces(), capture),
            ServerServiceDefinition.builder("jctr.test.Streams")
                    .addMethod(BLOBS, ServerCalls.asyncServerStreamingCall(TestServices::blobs))
                    .addMethod(UPLOAD, ServerCalls.asyncClientStreamingCall(TestServices::upload))
                    .build(),
        };
    }

    static ByteString blob(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return ByteString.copyFrom(b);
    }

    private static void blobs(StringValue request, StreamObserver<BytesValue> out) {
        String[] args = request.getValue().split(" ");
        int count = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        for (int i = 0; i < count; i++) {
            out.onNext(BytesValue.of(blob(size, i)));
        }
        if (args.length > 2) {
            out.onError(Status.Code.valueOf(args[2]).toStatus().withDescription("failed after " + count).asRuntimeException());
        } else {
            out.onCompleted();
        }
    }

    private static StreamObserver<StringValue> upload(StreamObserver<BytesValue> out) {
        return new StreamObserver<>() {
            @Override
            public void onNext(StringValue value) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
                out.onNext(BytesValue.getDefaultInstance());
                out.onCompleted();
            }
        };
    }

    private static final class Version extends VersionGrpc.VersionImplBase {
        @Override
        public void version(Empty request, StreamObserver<VersionResponse> out) {
            out.onNext(VersionResponse.newBuilder().setVersion("1.2.3-test").setRevision("abc123").build());
            out.onCompleted();
        }
    }

    private final class Namespaces extends NamespacesGrpc.NamespacesImplBase {
        @Override
        public void get(GetNamespaceRequest request, StreamObserver<GetNamespaceResponse> out) {
            String name = request.getName();
            if (name.equals("missing")) {
                Metadata trailers = new Metadata();
                trailers.put(DETAIL, "no such namespace");
                out.onError(Status.NOT_FOUND.withDescription(NOT_FOUND_MESSAGE).asRuntimeException(trailers));
                return;
            }
            Namespace.Builder ns = Namespace.newBuilder().setName(name);
            if (name.startsWith("big-")) {
                ns.putLabels("blob", "x".repeat(Integer.parseInt(name.substring(4))));
            }
            out.onNext(GetNamespaceResponse.newBuilder().setNamespace(ns).build());
            out.onCompleted();
        }

        @Override
        public void delete(DeleteNamespaceRequest request, StreamObserver<Empty> out) {
            hanging.add(out);
            Context.current().addListener(c -> cancelledHangs.countDown(), Runnable::run);
        }
    }
}
