package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** grpc.health.v1.Health answers SERVING once the socket accepts calls. */
@Tag("root")
class HealthTest {

    @Test
    void healthCheckIsServing() throws Exception {
        try (JctrDaemon d = JctrDaemon.create()) {
            d.start();
            EpollEventLoopGroup loop = new EpollEventLoopGroup(1);
            ManagedChannel ch = NettyChannelBuilder.forAddress(new DomainSocketAddress(d.address()))
                    .eventLoopGroup(loop).channelType(EpollDomainSocketChannel.class)
                    .usePlaintext().overrideAuthority("localhost").build();
            try {
                HealthCheckResponse r = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance());
                assertEquals(HealthCheckResponse.ServingStatus.SERVING, r.getStatus());
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
        }
    }
}
