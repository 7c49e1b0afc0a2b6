package io.jctr.core.pull;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LayerTeeTest {

    @Test
    void bytesFlowFromDownloadToReaderWithBoundedBuffering() throws Exception {
        LayerTee tee = new LayerTee();
        byte[] data = new byte[10 << 20];
        new Random(1).nextBytes(data);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                tee.begin();
                for (int off = 0; off < data.length; off += 1 << 20) {
                    assertTrue(tee.offer(data, off, Math.min(1 << 20, data.length - off)));
                }
                tee.end();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertTrue(tee.streaming());
        Thread.sleep(200); // a window in which a producer that did not block would finish (proving a negative)
        assertFalse(producer.isDone(), "the producer waits for the reader once the buffer is full");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        tee.transferTo(out);
        producer.get(10, TimeUnit.SECONDS);
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void chunksOfEverySizeArriveIntactThoughTheirArraysAreReused() throws Exception {
        // Arrays the reader is done with come back for later chunks, which may be shorter: a
        // reader that read a recycled array's full length, or a producer that wrote into an array
        // still being read, would corrupt the stream.
        LayerTee tee = new LayerTee();
        Random random = new Random(3);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 20];
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                tee.begin();
                for (int i = 0; i < 200; i++) {
                    int len = i % 7 == 0 ? 1 : 1 + random.nextInt(chunk.length);
                    random.nextBytes(chunk);
                    sent.write(chunk, 0, len);
                    assertTrue(tee.offer(chunk, 0, len));
                }
                tee.end();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertTrue(tee.streaming());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[70_001];
        for (int n; (n = tee.read(buf, 0, 1 + random.nextInt(buf.length))) >= 0; ) {
            got.write(buf, 0, n);
        }
        producer.get(30, TimeUnit.SECONDS);
        assertArrayEquals(sent.toByteArray(), got.toByteArray());
    }

    @Test
    void aFailedDownloadFailsTheReaderAndAGoneReaderReleasesTheDownload() throws Exception {
        LayerTee failing = new LayerTee();
        failing.begin();
        failing.offer(new byte[] {1, 2, 3}, 0, 3);
        failing.fail(new IOException("connection reset"));
        IOException e = assertThrows(IOException.class, () -> failing.transferTo(new ByteArrayOutputStream()));
        assertEquals("the layer's download failed: connection reset", e.getMessage());

        LayerTee abandoned = new LayerTee();
        abandoned.begin();
        abandoned.close();
        assertFalse(abandoned.streaming());
        for (int i = 0; i < 10; i++) {
            assertFalse(abandoned.offer(new byte[1 << 20], 0, 1 << 20), "no waiting once the reader is gone");
        }

        LayerTee notStreaming = new LayerTee();
        notStreaming.unavailable();
        assertFalse(notStreaming.streaming());
    }
}
