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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/**
 * Serves the gRPC API on a unix socket: plain grpc-java over Netty's epoll domain-socket
 * transport (h2c, as containerd's clients speak it), with the 16 MiB message limit containerd
 * uses. The socket is created with mode 0660 right after bind.
 */
public final class ApiServer implements AutoCloseable {

    /** containerd's limit both ways; ctr sends 1 MiB content chunks. */
    public static final int MAX_MESSAGE_BYTES = 16 << 20;

    private final Server server;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;

    private ApiServer(Server server, EventLoopGroup boss, EventLoopGroup workers) {
        this.server = server;
        this.boss = boss;
        this.workers = workers;
    }

    public static ApiServer start(Path socket, Collection<BindableService> services) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("cannot serve a unix socket: Netty's epoll transport is unavailable: " + Epoll.unavailabilityCause());
        }
        EventLoopGroup boss = new EpollEventLoopGroup(1);
        EventLoopGroup workers = new EpollEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()));
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
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
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        return new ApiServer(server, boss, workers);
    }

    /** Blocks until the server has terminated. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops accepting calls, gives running calls a moment, then closes the socket (Netty unlinks it). */
    @Override
    public void close() throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
            server.shutdownNow();
            server.awaitTermination(2, TimeUnit.SECONDS);
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
    }
}
