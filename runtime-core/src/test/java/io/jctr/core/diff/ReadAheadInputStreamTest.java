package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {

    @Test
    void passesEveryByteThrough() throws IOException {
        byte[] data = new byte[3 * 256 * 1024 + 17];
        new Random(7).nextBytes(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data))) {
            out.write(in.read());
            byte[] buf = new byte[1000];
            for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
                out.write(buf, 0, n);
            }
            assertEquals(-1, in.read());
        }
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void aLongStreamReadInOddPiecesPassesIntactThroughRecycledChunks() throws IOException {
        byte[] data = new byte[40 * 256 * 1024 + 12_345];
        new Random(11).nextBytes(data);
        Random sizes = new Random(5);
        // upstream returns short reads, so chunks are filled by several reads each
        InputStream choppy = new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1 + sizes.nextInt(100_000)));
            }
        };
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (ReadAheadInputStream in = new ReadAheadInputStream(choppy)) {
            byte[] buf = new byte[300_000];
            Random reads = new Random(9);
            for (int n; (n = in.read(buf, 0, 1 + reads.nextInt(buf.length))) >= 0; ) {
                got.write(buf, 0, n);
            }
        }
        assertArrayEquals(data, got.toByteArray());
    }

    @Test
    void rethrowsTheUpstreamFailureItself() throws IOException {
        IOException boom = new IOException("boom");
        InputStream failing = new InputStream() {
            private int left = 1000;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw boom;
                }
                return 'x';
            }
        };
        try (InputStream in = new ReadAheadInputStream(failing)) {
            assertEquals(1000, in.readNBytes(1000).length);
            assertSame(boom, assertThrows(IOException.class, in::read));
            assertSame(boom, assertThrows(IOException.class, in::read));
        }
    }

    @Test
    void closeStopsReadingAndClosesUpstreamAfterTheReaderEnds() throws IOException {
        AtomicLong reads = new AtomicLong();
        AtomicBoolean closedWhileReading = new AtomicBoolean();
        AtomicBoolean upstreamClosed = new AtomicBoolean();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                reads.incrementAndGet();
                if (upstreamClosed.get()) {
                    closedWhileReading.set(true);
                }
                return 0;
            }

            @Override
            public void close() {
                upstreamClosed.set(true);
            }
        };
        InputStream in = new ReadAheadInputStream(endless);
        in.read();
        in.close();
        long after = reads.get();
        assertTrue(upstreamClosed.get());
        assertEquals(after, reads.get(), "no read after close");
        assertTrue(!closedWhileReading.get());
        assertThrows(IOException.class, in::read);
    }
}
