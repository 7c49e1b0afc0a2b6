package io.jctr.cli;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.jctr.cli.transport.UnixH2cChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A connection to the daemon's socket that sends the namespace on every call, the way
 * containerd's clients do. Commands take stubs from {@link #channel()} and set deadlines with
 * {@link #timeoutSeconds()}. The transport is jctr's own small h2c client
 * ({@link UnixH2cChannel}): grpc-netty's start-up alone would cost a CLI command ~100 ms.
 */
final class ApiClient implements AutoCloseable {

    /** The metadata key containerd's API reads the namespace from. */
    static final Metadata.Key<String> NAMESPACE_HEADER = Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);

    private final UnixH2cChannel transport;
    private final Channel channel;
    private final String address;
    private final long timeoutSeconds;

    private ApiClient(UnixH2cChannel transport, Channel channel, String address, long timeoutSeconds) {
        this.transport = transport;
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
        UnixH2cChannel transport = UnixH2cChannel.connect(Path.of(path));
        Channel withNamespace = ClientInterceptors.intercept(transport, new NamespaceHeader(namespace));
        return new ApiClient(transport, withNamespace, path, timeoutSeconds);
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

    /** Closes the connection; must run before the JVM halts (the reader thread is joined). */
    @Override
    public void close() {
        transport.close();
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
