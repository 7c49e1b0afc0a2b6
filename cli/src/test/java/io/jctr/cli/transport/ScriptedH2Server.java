package io.jctr.cli.transport;

import io.jctr.cli.transport.Http2Frames.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP/2 server that plays a script on one connection, frame by frame, for the protocol
 * corners a real gRPC server does not reach: small windows, PING, padding, RST_STREAM, GOAWAY.
 */
final class ScriptedH2Server implements AutoCloseable {

    interface Script {
        void play(Peer peer) throws Exception;
    }

    record Request(int streamId, List<Header> headers, byte[] body) {
    }

    private final ServerSocketChannel listener;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile SocketChannel connection;

    ScriptedH2Server(Path socket, Script script) throws IOException {
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(() -> {
            try (SocketChannel c = listener.accept()) {
                connection = c;
                ByteBuffer preface = ByteBuffer.allocate(Http2Frames.CLIENT_PREFACE.length);
                while (preface.hasRemaining() && c.read(preface) >= 0) {
                    // reading the preface
                }
                if (!Arrays.equals(preface.array(), Http2Frames.CLIENT_PREFACE)) {
                    throw new AssertionError("bad client preface");
                }
                script.play(new Peer(c));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "scripted-h2-server");
        thread.start();
    }

    /** Waits for the script to end and fails with what went wrong in it. */
    @Override
    public void close() throws IOException {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SocketChannel c = connection;
        if (c != null) {
            c.close();
        }
        listener.close();
        Throwable t = failure.get();
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new AssertionError("the scripted server failed", t);
        }
    }

    /** The server's side of the connection. */
    static final class Peer {
        final FrameReader in;
        final FrameWriter out;
        private final SocketChannel channel;
        private final HpackDecoder decoder = new HpackDecoder(4096);

        Peer(SocketChannel channel) {
            this.channel = channel;
            this.in = new FrameReader(channel, Http2Frames.DEFAULT_MAX_FRAME_SIZE);
            this.out = new FrameWriter(channel);
        }

        Frame next() throws Exception {
            return in.next();
        }

        /** The next frame of {@code type}, skipping others (SETTINGS, WINDOW_UPDATE, ...). */
        Frame next(int type) throws Exception {
            for (Frame f = in.next(); ; f = in.next()) {
                if (f.type() == type) {
                    return f;
                }
            }
        }

        /** Reads until the client closes the connection, as a server that said GOAWAY does. */
        void drain() throws Exception {
            try {
                while (true) {
                    in.next();
                }
            } catch (IOException e) {
                // the client hung up
            }
        }

        /** Reads up to and including the END_STREAM of the next request. */
        Request request() throws Exception {
            Frame h = next(Http2Frames.HEADERS);
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.writeBytes(h.payload());
            Frame f = h;
            while (!f.has(Http2Frames.FLAG_END_HEADERS)) {
                f = next(Http2Frames.CONTINUATION);
                block.writeBytes(f.payload());
            }
            List<Header> headers = decoder.decode(ByteBuffer.wrap(block.toByteArray()));
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            f = h;
            while (!f.has(Http2Frames.FLAG_END_STREAM)) {
                f = next(Http2Frames.DATA);
                body.writeBytes(f.payload());
            }
            return new Request(h.streamId(), headers, body.toByteArray());
        }

        void settings(int... pairs) throws IOException {
            out.settings(pairs);
            out.flush();
        }

        void headers(int streamId, boolean endStream, Header... headers) throws IOException {
            out.headers(streamId, HpackEncoder.encode(List.of(headers)), endStream, Http2Frames.DEFAULT_MAX_FRAME_SIZE);
            out.flush();
        }

        /** A frame as given, padding and all, bypassing the writer's checks. */
        void raw(int type, int flags, int streamId, byte[] payload) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(Http2Frames.FRAME_HEADER_LENGTH + payload.length);
            b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
            b.put((byte) type).put((byte) flags).putInt(streamId).put(payload).flip();
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        /** A whole successful gRPC response: headers, one DATA frame per message, OK trailers. */
        void respond(int streamId, byte[]... messages) throws IOException {
            headers(streamId, false, new Header(":status", "200"), new Header("content-type", "application/grpc"));
            for (byte[] m : messages) {
                byte[] framed = grpcFrame(m);
                out.data(streamId, framed, 0, framed.length, false);
            }
            out.flush();
            headers(streamId, true, new Header("grpc-status", "0"));
        }

        static byte[] grpcFrame(byte[] message) {
            return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
        }
    }
}
