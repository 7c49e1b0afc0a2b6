package io.jctr.core.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Serves the gRPC API on a unix socket: plain grpc-java over Netty's epoll domain-socket
 * transport (h2c, as containerd's clients speak it), with the 16 MiB message limit containerd
 * uses. The socket is bound under a temporary name, given mode 0660 and only then renamed into
 * place, so no client ever finds it at its path with the process umask's mode.
 */
public final class ApiServer implements AutoCloseable {

    /** containerd's limit both ways; ctr sends 1 MiB content chunks. */
    public static final int MAX_MESSAGE_BYTES = 16 << 20;

    private final Server server;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Path socket;

    private ApiServer(Server server, EventLoopGroup boss, EventLoopGroup workers, Path socket) {
        this.socket = socket;
        this.server = server;
        this.boss = boss;
        this.workers = workers;
    }

    public static ApiServer start(Path socket, Collection<BindableService> services) throws IOException {
        Path binding = socket.resolveSibling(socket.getFileName() + ".binding");
        if (!Epoll.isAvailable()) {
            throw new IOException("cannot serve a unix socket: Netty's epoll transport is unavailable: " + Epoll.unavailabilityCause());
        }
        EventLoopGroup boss = new EpollEventLoopGroup(1);
        EventLoopGroup workers = new EpollEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()));
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(binding.toString()))
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                .channelType(EpollServerDomainSocketChannel.class)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .permitKeepAliveWithoutCalls(true)
                .permitKeepAliveTime(10, TimeUnit.SECONDS);
        RequestNamespace namespaces = new RequestNamespace();
        RequestLease leases = new RequestLease();
        for (BindableService s : services) {
            builder.addService(ServerInterceptors.intercept(s, leases, namespaces));
        }
        Server server = builder.build();
        try {
            server.start();
        } catch (IOException e) {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
            throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
        Files.setPosixFilePermissions(binding, PosixFilePermissions.fromString("rw-rw----"));
        Files.move(binding, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new ApiServer(server, boss, workers, socket);
    }

    /** Blocks until the server has terminated. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops accepting calls, gives running calls a moment, then closes and removes the socket. */
    @Override
    public void close() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
            server.shutdownNow();
            server.awaitTermination(2, TimeUnit.SECONDS);
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(socket); // Netty unlinks the name it bound, not the one renamed into place
        } catch (IOException e) {
            java.util.logging.Logger.getLogger(ApiServer.class.getName()).warning("cannot remove socket " + socket + ": " + e.getMessage());
        }
    }
}
