package io.jctr.it;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.util.concurrent.TimeUnit;

/** A gRPC channel to a test daemon's socket, as ctr dials it (h2c over the unix socket). */
final class ApiChannel implements AutoCloseable {

    private final EpollEventLoopGroup loop;
    final ManagedChannel channel;

    private ApiChannel(EpollEventLoopGroup loop, ManagedChannel channel) {
        this.loop = loop;
        this.channel = channel;
    }

    static ApiChannel open(JctrDaemon daemon) {
        EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
        return new ApiChannel(loop, NettyChannelBuilder.forAddress(new DomainSocketAddress(daemon.address()))
                .eventLoopGroup(loop).channelType(EpollDomainSocketChannel.class)
                .usePlaintext().overrideAuthority("localhost").build());
    }

    @Override
    public void close() {
        try {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }
}
