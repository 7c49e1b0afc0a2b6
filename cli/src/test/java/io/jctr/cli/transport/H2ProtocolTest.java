package io.jctr.cli.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.jctr.api.services.namespaces.v1.GetNamespaceRequest;
import io.jctr.api.services.namespaces.v1.GetNamespaceResponse;
import io.jctr.api.services.namespaces.v1.Namespace;
import io.jctr.api.services.namespaces.v1.NamespacesGrpc;
import io.jctr.cli.transport.Http2Frames.Frame;
import io.jctr.cli.transport.ScriptedH2Server.Peer;
import io.jctr.cli.transport.ScriptedH2Server.Request;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTP/2 corners, against a scripted server: flow control, PING, padding, CONTINUATION, RST_STREAM, GOAWAY. */
class H2ProtocolTest {

    @TempDir
    Path dir;

    @Test
    void pingIsAckedAndAFragmentedPaddedResponseIsRead() throws Exception {
        byte[] opaque = {1, 2, 3, 4, 5, 6, 7, 8};
        converse(peer -> {
            peer.settings();
            Request r = peer.request();
            peer.raw(Http2Frames.PING, 0, 0, opaque);
            Frame ack = peer.next(Http2Frames.PING);
            assertTrue(ack.has(Http2Frames.FLAG_ACK));
            assertArrayEquals(opaque, ack.payload());

            byte[] block = HpackEncoder.encode(List.of(new Header(":status", "200"),
                    new Header("content-type", "application/grpc"), new Header("jctr-note", "n".repeat(100))));
            // HEADERS with padding and priority, then two CONTINUATION frames
            ByteBuffer first = ByteBuffer.allocate(1 + 5 + 10 + 2).put((byte) 2).putInt(0).put((byte) 15).put(block, 0, 10).put(new byte[2]);
            peer.raw(Http2Frames.HEADERS, Http2Frames.FLAG_PADDED | Http2Frames.FLAG_PRIORITY, r.streamId(), first.array());
            peer.raw(Http2Frames.CONTINUATION, 0, r.streamId(), Arrays.copyOfRange(block, 10, 60));
            peer.raw(Http2Frames.CONTINUATION, Http2Frames.FLAG_END_HEADERS, r.streamId(), Arrays.copyOfRange(block, 60, block.length));
            // the message one octet a frame, every other frame padded
            byte[] framed = Peer.grpcFrame(response("fragmented"));
            for (int i = 0; i < framed.length; i++) {
                if (i % 2 == 0) {
                    peer.raw(Http2Frames.DATA, Http2Frames.FLAG_PADDED, r.streamId(), new byte[] {3, framed[i], 0, 0, 0});
                } else {
                    peer.raw(Http2Frames.DATA, 0, r.streamId(), new byte[] {framed[i]});
                }
            }
            peer.headers(r.streamId(), true, new Header("grpc-status", "0"));
        }, channel -> {
            assertEquals("fragmented", get(channel, "x").getNamespace().getName());
        });
    }

    @Test
    void aRequestLargerThanTheConnectionWindowWaitsForWindowUpdate() throws Exception {
        String name = "n".repeat(100_000);
        converse(peer -> {
            peer.settings();
            Frame headers = peer.next(Http2Frames.HEADERS);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            boolean granted = false;
            for (Frame f = peer.next(Http2Frames.DATA); ; f = peer.next(Http2Frames.DATA)) {
                assertTrue(f.payload().length <= Http2Frames.DEFAULT_MAX_FRAME_SIZE, "frame of " + f.payload().length);
                body.writeBytes(f.payload());
                assertTrue(granted || body.size() <= Http2Frames.DEFAULT_WINDOW, "sent " + body.size() + " octets into a 65535 window");
                if (f.has(Http2Frames.FLAG_END_STREAM)) {
                    break;
                }
                if (body.size() == Http2Frames.DEFAULT_WINDOW) {
                    peer.out.windowUpdate(0, 1 << 20);
                    peer.out.windowUpdate(headers.streamId(), 1 << 20);
                    peer.out.flush();
                    granted = true;
                }
            }
            assertTrue(granted);
            byte[] b = body.toByteArray();
            assertEquals(name, GetNamespaceRequest.parseFrom(Arrays.copyOfRange(b, 5, b.length)).getName());
            peer.respond(headers.streamId(), response("ok"));
        }, channel -> {
            assertEquals("ok", get(channel, name).getNamespace().getName());
        });
    }

    @Test
    void theServersInitialWindowBoundsWhatTheClientSends() throws Exception {
        converse(peer -> {
            peer.settings(Http2Frames.SETTINGS_INITIAL_WINDOW_SIZE, 10);
            // a first call makes sure the client has applied the SETTINGS: its request fits in 10 octets
            peer.respond(peer.request().streamId(), response("warm"));
            Frame headers = peer.next(Http2Frames.HEADERS);
            int frames = 0;
            for (Frame f = peer.next(Http2Frames.DATA); ; f = peer.next(Http2Frames.DATA)) {
                assertTrue(f.payload().length <= 10, "frame of " + f.payload().length + " in a window of 10");
                frames++;
                if (f.has(Http2Frames.FLAG_END_STREAM)) {
                    break;
                }
                peer.out.windowUpdate(headers.streamId(), f.payload().length);
                peer.out.flush();
            }
            assertTrue(frames >= 6, frames + " frames");
            peer.respond(headers.streamId(), response("small"));
        }, channel -> {
            assertEquals("warm", get(channel, "").getNamespace().getName());
            assertEquals("small", get(channel, "m".repeat(50)).getNamespace().getName());
        });
    }

    @ParameterizedTest
    @CsvSource({"REFUSED_STREAM, UNAVAILABLE", "INTERNAL_ERROR, INTERNAL", "CANCEL, CANCELLED", "ENHANCE_YOUR_CALM, RESOURCE_EXHAUSTED"})
    void rstStreamFailsTheCallAndSparesTheConnection(Http2Error error, Status.Code expected) throws Exception {
        converse(peer -> {
            peer.settings();
            peer.out.rstStream(peer.request().streamId(), error);
            peer.out.flush();
            peer.respond(peer.request().streamId(), response("after"));
        }, channel -> {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> get(channel, "x"));
            assertEquals(expected, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains(error.name()), e.getStatus().getDescription());
            assertEquals("after", get(channel, "y").getNamespace().getName());
        });
    }

    @Test
    void goAwayAbandonsTheStreamsTheServerNeverProcessed() throws Exception {
        converse(peer -> {
            peer.settings();
            peer.request();
            byte[] debug = "maintenance".getBytes(StandardCharsets.UTF_8);
            peer.raw(Http2Frames.GOAWAY, 0, 0, ByteBuffer.allocate(8 + debug.length).putInt(0).putInt(0).put(debug).array());
            peer.drain();
        }, channel -> {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> get(channel, "x"));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("abandoned") && e.getStatus().getDescription().contains("maintenance"),
                    e.getStatus().getDescription());
        });
    }

    @Test
    void goAwayLetsTheStreamsItProcessedFinish() throws Exception {
        converse(peer -> {
            peer.settings();
            Request r = peer.request();
            peer.out.goAway(r.streamId(), Http2Error.NO_ERROR);
            peer.out.flush();
            peer.respond(r.streamId(), response("finished"));
        }, channel -> {
            assertEquals("finished", get(channel, "x").getNamespace().getName());
        });
    }

    @Test
    void responsesThatAreNotGrpc() throws Exception {
        converse(peer -> {
            peer.settings();
            peer.headers(peer.request().streamId(), true, new Header(":status", "503"));
            peer.headers(peer.request().streamId(), false, new Header(":status", "200"), new Header("content-type", "text/html"));
            peer.headers(peer.request().streamId(), true, new Header(":status", "404"), new Header("content-type", "text/plain"));
        }, channel -> {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> get(channel, "x"));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertEquals("HTTP status code 503", e.getStatus().getDescription());
            e = assertThrows(StatusRuntimeException.class, () -> get(channel, "x"));
            assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
            assertEquals("invalid content-type in the response: text/html", e.getStatus().getDescription());
            e = assertThrows(StatusRuntimeException.class, () -> get(channel, "x"));
            assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
        });
    }

    @Test
    void aProtocolErrorEndsTheConnectionWithGoAway() throws Exception {
        converse(peer -> {
            peer.settings();
            peer.request();
            peer.raw(Http2Frames.DATA, 0, 0, new byte[] {1});
            Frame goAway = peer.next(Http2Frames.GOAWAY);
            assertEquals(Http2Error.PROTOCOL_ERROR.code(), ByteBuffer.wrap(goAway.payload()).getInt(4));
        }, channel -> {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> get(channel, "x"));
            assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().startsWith("http/2 protocol error"), e.getStatus().getDescription());
        });
    }

    @Test
    void theDynamicTableCarriesOverFromResponseToResponse() throws Exception {
        converse(peer -> {
            peer.settings();
            // ":status: 200" from the static table; content-type and grpc-status enter the dynamic table
            byte[] headers = concat(Hex.bytes("88 5f10"), ascii("application/grpc"));
            byte[] trailers = concat(Hex.bytes("400b"), ascii("grpc-status"), Hex.bytes("01"), ascii("0"));
            answer(peer, peer.request().streamId(), headers, trailers, "first");
            // now [62] grpc-status: 0, [63] content-type: application/grpc
            answer(peer, peer.request().streamId(), Hex.bytes("88 bf"), Hex.bytes("be"), "second");
        }, channel -> {
            assertEquals("first", get(channel, "x").getNamespace().getName());
            assertEquals("second", get(channel, "y").getNamespace().getName());
        });
    }

    /** Plays {@code script} on the server side while {@code client} calls through a fresh channel. */
    private void converse(ScriptedH2Server.Script script, Client client) throws Exception {
        ScriptedH2Server server = new ScriptedH2Server(socket(), script);
        try (UnixH2cChannel channel = UnixH2cChannel.connect(socket())) {
            client.call(channel);
        } finally {
            server.close();
        }
    }

    private interface Client {
        void call(UnixH2cChannel channel) throws Exception;
    }

    private static void answer(Peer peer, int streamId, byte[] headers, byte[] trailers, String name) throws Exception {
        peer.raw(Http2Frames.HEADERS, Http2Frames.FLAG_END_HEADERS, streamId, headers);
        peer.raw(Http2Frames.DATA, 0, streamId, Peer.grpcFrame(response(name)));
        peer.raw(Http2Frames.HEADERS, Http2Frames.FLAG_END_HEADERS | Http2Frames.FLAG_END_STREAM, streamId, trailers);
    }

    private Path socket() {
        return dir.resolve("h2.sock");
    }

    private static GetNamespaceResponse get(UnixH2cChannel channel, String name) {
        return NamespacesGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .get(GetNamespaceRequest.newBuilder().setName(name).build());
    }

    private static byte[] response(String name) {
        return GetNamespaceResponse.newBuilder().setNamespace(Namespace.newBuilder().setName(name)).build().toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
