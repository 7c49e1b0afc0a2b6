package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
