package io.jctr.cli.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.jctr.api.services.namespaces.v1.GetNamespaceRequest;
import io.jctr.api.services.namespaces.v1.GetNamespaceResponse;
import io.jctr.api.services.namespaces.v1.Namespace;
import io.jctr.api.services.namespaces.v1.NamespacesGrpc;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty's own HPACK encoder, with its defaults: unlike grpc-java's server, which turns Huffman
 * coding off, it Huffman-codes values of 512 octets and more and indexes what it sends, so the
 * decoder meets both in a real exchange.
 */
class NettyHpackInteropTest {

    private static final String NOTE = "a long header value, Huffman-coded by Netty; ".repeat(14);
    private static final String MESSAGE = "namespace «missing» not found — 容器不存在 ✓ ".repeat(20);

    @TempDir
    Path dir;

    @Test
    void huffmanCodedAndIndexedHeadersFromNetty() throws Exception {
        Path socket = dir.resolve("netty.sock");
        EventLoopGroup group = new EpollEventLoopGroup(1);
        try {
            Channel server = new ServerBootstrap().group(group).channel(EpollServerDomainSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Responder());
                        }
                    })
                    .bind(new DomainSocketAddress(socket.toString())).sync().channel();
            try (UnixH2cChannel channel = UnixH2cChannel.connect(socket)) {
                // twice: the second response refers to the dynamic table the first one filled
                for (String name : new String[] {"ok", "missing", "ok", "missing"}) {
                    Result r = call(channel, name);
                    assertEquals(NOTE, r.headers.get(Metadata.Key.of("jctr-note", Metadata.ASCII_STRING_MARSHALLER)));
                    if (name.equals("ok")) {
                        assertEquals(Status.Code.OK, r.status.getCode(), r.status.toString());
                        assertEquals("ok", r.response.getNamespace().getName());
                    } else {
                        assertEquals(Status.Code.NOT_FOUND, r.status.getCode());
                        assertEquals(MESSAGE, r.status.getDescription());
                        assertNull(r.response);
                    }
                }
            }
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).await(5, TimeUnit.SECONDS);
        }
    }

    private record Result(Metadata headers, GetNamespaceResponse response, Status status) {
    }

    private static Result call(UnixH2cChannel channel, String name) throws Exception {
        ClientCall<GetNamespaceRequest, GetNamespaceResponse> call = channel.newCall(NamespacesGrpc.getGetMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
        CompletableFuture<Metadata> headers = new CompletableFuture<>();
        CompletableFuture<GetNamespaceResponse> response = new CompletableFuture<>();
        CompletableFuture<Status> status = new CompletableFuture<>();
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata h) {
                headers.complete(h);
            }

            @Override
            public void onMessage(GetNamespaceResponse message) {
                response.complete(message);
            }

            @Override
            public void onClose(Status s, Metadata trailers) {
                status.complete(s);
            }
        }, new Metadata());
        call.request(2);
        call.sendMessage(GetNamespaceRequest.newBuilder().setName(name).build());
        call.halfClose();
        Status s = status.get(10, TimeUnit.SECONDS);
        return new Result(headers.get(1, TimeUnit.SECONDS), response.getNow(null), s);
    }

    /** Answers each request: headers with a long note, then a message or a NOT_FOUND with a long message. */
    private static final class Responder extends ChannelInboundHandlerAdapter {
        private final StringBuilder request = new StringBuilder();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2DataFrame data) {
                    request.append(data.content().toString(StandardCharsets.ISO_8859_1));
                    if (data.isEndStream()) {
                        respond(ctx, data.stream(), request.toString().endsWith("missing"));
                        request.setLength(0);
                    }
                } else if (msg instanceof Http2HeadersFrame headers && headers.isEndStream()) {
                    respond(ctx, headers.stream(), false);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private static void respond(ChannelHandlerContext ctx, Http2FrameStream stream, boolean missing) {
            Http2Headers headers = new DefaultHttp2Headers().status("200").set("content-type", "application/grpc").set("jctr-note", NOTE);
            ctx.write(new DefaultHttp2HeadersFrame(headers).stream(stream));
            Http2Headers trailers = new DefaultHttp2Headers().set("grpc-status", "0");
            if (missing) {
                trailers.set("grpc-status", "5").set("grpc-message", percentEncode(MESSAGE));
            } else {
                byte[] m = GetNamespaceResponse.newBuilder().setNamespace(Namespace.newBuilder().setName("ok")).build().toByteArray();
                ByteBuf data = ctx.alloc().buffer(5 + m.length).writeByte(0).writeInt(m.length).writeBytes(m);
                ctx.write(new DefaultHttp2DataFrame(data).stream(stream));
            }
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(trailers, true).stream(stream));
        }

        /** gRPC's percent-encoding of grpc-message: UTF-8, escaping what is not printable ASCII, and '%'. */
        private static String percentEncode(String s) {
            StringBuilder out = new StringBuilder();
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (c < 0x20 || c > 0x7e || c == '%') {
                    out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
                } else {
                    out.append((char) c);
                }
            }
            return out.toString();
        }
    }
}
