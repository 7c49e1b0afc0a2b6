package io.jctr.cli;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A connection to the daemon's socket that sends the namespace on every call, the way
 * containerd's clients do. Commands take stubs from {@link #channel()} and set deadlines with
 * {@link #timeoutSeconds()}.
 */
final class ApiClient implements AutoCloseable {

    /** The metadata key containerd's API reads the namespace from. */
    static final Metadata.Key<String> NAMESPACE_HEADER = Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);
    /** containerd's message size limit, both ways. */
    static final int MAX_MESSAGE_BYTES = 16 << 20;

    private final ManagedChannel managed;
    private final EventLoopGroup loop;
    private final Channel channel;
    private final String address;
    private final long timeoutSeconds;

    private ApiClient(ManagedChannel managed, EventLoopGroup loop, Channel channel, String address, long timeoutSeconds) {
        this.managed = managed;
        this.loop = loop;
        this.channel = channel;
        this.address = address;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Connects with the global options of the command tree {@code spec} belongs to. */
    static ApiClient connect(CommandSpec spec) {
        JctrCommand root = (JctrCommand) spec.root().userObject();
        return connect(root.clientAddress(), root.namespace, root.timeoutSeconds);
    }

    static ApiClient connect(String address, String namespace, long timeoutSeconds) {
        String path = address.startsWith("unix://") ? address.substring(7) : address;
        if (!Files.exists(Path.of(path))) {
            throw new CliException("cannot connect to the jctr daemon: no socket at " + path
                    + " (start it with 'jctr daemon', or point --address/JCTR_ADDRESS at its socket)");
        }
        EventLoopGroup loop = new EpollEventLoopGroup(1);
        ManagedChannel managed = NettyChannelBuilder.forAddress(new DomainSocketAddress(path))
                .eventLoopGroup(loop)
                .channelType(EpollDomainSocketChannel.class)
                .usePlaintext()
                .overrideAuthority("localhost")
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
        Channel withNamespace = ClientInterceptors.intercept(managed, new NamespaceHeader(namespace));
        return new ApiClient(managed, loop, withNamespace, path, timeoutSeconds);
    }

    Channel channel() {
        return channel;
    }

    String address() {
        return address;
    }

    long timeoutSeconds() {
        return timeoutSeconds;
    }

    @Override
    public void close() {
        managed.shutdownNow();
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    private record NamespaceHeader(String namespace) implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    headers.put(NAMESPACE_HEADER, namespace);
                    super.start(listener, headers);
                }
            };
        }
    }
}
