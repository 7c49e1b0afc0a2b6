/**
 * A gRPC client transport for the CLI: HTTP/2 in cleartext over a unix socket with nothing but
 * the JDK and grpc-api, so that a short-lived {@code jctr} command does not pay Netty's start-up.
 * {@link io.jctr.cli.transport.UnixH2cChannel} is the only public type.
 *
 * <p>Layers, each in its own files: gRPC calls ({@code GrpcClientCall}, {@code RequestHeaders},
 * {@code ResponseHeaders}, {@code MessageDeframer}, {@code SerialExecutor}); HTTP/2 connections and
 * streams ({@code H2Connection}, {@code H2Stream}, {@code FrameDispatcher}); frames
 * ({@code FrameReader}, {@code FrameWriter}, {@code Http2Frames}, {@code Http2Error}); and HPACK
 * ({@code HpackDecoder}, {@code HpackDynamicTable}, {@code HpackStaticTable}, {@code HpackEncoder},
 * {@code Huffman}).
 */
package io.jctr.cli.transport;
