package io.jctr.cli.transport;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real grpc-java Netty server on a unix socket, the way the daemon serves. */
final class GrpcTestServer implements AutoCloseable {

    private final Server server;
    private final EventLoopGroup boss;
    private final EventLoopGroup worker;

    private GrpcTestServer(Server server, EventLoopGroup boss, EventLoopGroup worker) {
        this.server = server;
        this.boss = boss;
        this.worker = worker;
    }

    static GrpcTestServer start(Path socket, ServerServiceDefinition... services) throws IOException {
        Files.deleteIfExists(socket);
        EventLoopGroup boss = new EpollEventLoopGroup(1);
        EventLoopGroup worker = new EpollEventLoopGroup(1);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(worker)
                .maxInboundMessageSize(16 << 20);
        for (ServerServiceDefinition s : services) {
            builder.addService(s);
        }
        return new GrpcTestServer(builder.build().start(), boss, worker);
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).await(5, TimeUnit.SECONDS);
            worker.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
