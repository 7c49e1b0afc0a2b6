package io.jctr.core.pull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A layer's bytes handed from its download to the unpacker while they arrive, so the layer is
 * applied during the download instead of after it. At most {@link #DEPTH} chunks (1 MiB each)
 * wait in between: a download faster than the unpack waits for it.
 *
 * <p>The download decides once whether it streams: only when it starts at offset 0 (a blob
 * already stored or a resumed ingest does not), see {@link #begin}/{@link #unavailable}. The
 * unpacker asks {@link #streaming()} and, on false, reads the stored blob as usual. Either side
 * may give up: {@link #close()} by the reader makes further {@link #offer}s no-ops;
 * {@link #fail} by the download makes reads throw.
 *
 * <p>Thread-safety: one producer thread, one consumer thread.
 */
final class LayerTee extends InputStream {

    static final int DEPTH = 4;
    private static final Chunk END = new Chunk(new byte[0], 0);

    /** {@code data[0, length)} of the layer. */
    private record Chunk(byte[] data, int length) {
    }

    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(DEPTH + 1);
    /** Arrays the reader is done with, refilled by {@link #offer}: a few arrays per layer rather than one per MiB. */
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(DEPTH + 2);
    private final CountDownLatch decided = new CountDownLatch(1);
    private volatile boolean streaming;
    private volatile boolean abandoned;
    private volatile IOException failure;
    private Chunk current = new Chunk(new byte[0], 0);
    private int pos;

    /** The download starts from the beginning: its bytes will come through here. */
    void begin() {
        streaming = true;
        decided.countDown();
    }

    /** The download will not stream (the blob exists, or resumes mid-way, or failed first). */
    void unavailable() {
        decided.countDown();
    }

    /** Whether the bytes come through this stream; waits until the download has decided. */
    boolean streaming() throws InterruptedException {
        decided.await();
        return streaming && !abandoned;
    }

    /**
     * Passes a copy of {@code b[off, off+len)} on, waiting while the reader is {@link #DEPTH}
     * chunks behind. Returns false when the reader has gone (nothing more need be offered).
     */
    boolean offer(byte[] b, int off, int len) throws InterruptedIOException {
        byte[] copy = free.poll();
        if (copy == null || copy.length < len) {
            copy = new byte[len];
        }
        System.arraycopy(b, off, copy, 0, len);
        return put(new Chunk(copy, len));
    }

    /** All bytes were offered. */
    void end() throws InterruptedIOException {
        put(END);
    }

    /** The download failed: the reader gets {@code e}. */
    void fail(IOException e) {
        failure = e;
        decided.countDown();
        queue.clear();
        queue.offer(END);
    }

    private boolean put(Chunk chunk) throws InterruptedIOException {
        try {
            while (!abandoned) {
                if (queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing a layer to its unpack");
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos == current.length()) {
            if (current == END) {
                return eof();
            }
            try {
                Chunk next = queue.take();
                if (current.length() > 0) {
                    free.offer(current.data()); // a no-op when full
                }
                current = next;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading a layer from its download");
            }
            pos = 0;
            if (current == END) {
                return eof();
            }
        }
        int n = Math.min(len, current.length() - pos);
        System.arraycopy(current.data(), pos, b, off, n);
        pos += n;
        return n;
    }

    private int eof() throws IOException {
        if (failure != null) {
            throw new IOException("the layer's download failed: " + failure.getMessage(), failure);
        }
        return -1;
    }

    /** The reader is done (or gave up): the download stops offering. */
    @Override
    public void close() {
        abandoned = true;
        queue.clear();
    }
}
