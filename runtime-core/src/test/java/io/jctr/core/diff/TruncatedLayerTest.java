package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncated or corrupt layers are INVALID_ARGUMENT ("unexpected end of layer" when the stream
 * ended early, "malformed layer" otherwise); the caller's own I/O errors stay IOExceptions.
 */
class TruncatedLayerTest {

    @TempDir
    Path target;

    private static byte[] layer() {
        byte[] big = new byte[200_000];
        new Random(42).nextBytes(big);
        TarBuilder b = new TarBuilder().dir("d");
        b.add(TarBuilder.entry("d/random", (byte) '0', 0644), big);
        return b.file("d/after", "after").build();
    }

    private JctrException refused(byte[] data, String mediaType) {
        JctrException e = assertThrows(JctrException.class,
                () -> LayerApplier.apply(new ByteArrayInputStream(data), mediaType, target));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
        return e;
    }

    private static byte[] cut(byte[] data, int length) {
        return Arrays.copyOf(data, length);
    }

    @Test
    void truncatedGzip() {
        byte[] gz = TarBuilder.gzip(layer());
        for (int length : new int[] {1, 5, 20, gz.length / 2, gz.length - 4}) {
            JctrException e = refused(cut(gz, length), "application/vnd.oci.image.layer.v1.tar+gzip");
            assertTrue(e.getMessage().startsWith("unexpected end of layer: "), length + ": " + e.getMessage());
        }
    }

    @Test
    void truncatedZstd() {
        byte[] zst = TarBuilder.zstd(layer());
        for (int length : new int[] {2, 10, zst.length / 2, zst.length - 1}) {
            JctrException e = refused(cut(zst, length), "application/vnd.oci.image.layer.v1.tar+zstd");
            assertTrue(e.getMessage().startsWith("unexpected end of layer: "), length + ": " + e.getMessage());
        }
    }

    @Test
    void truncatedTar() {
        byte[] tar = layer();
        // inside the big entry's data, on and off a record boundary; inside a header
        for (int length : new int[] {1024 + 512 * 10, 1024 + 700, 100, 512 + 300}) {
            JctrException e = refused(cut(tar, length), "application/vnd.oci.image.layer.v1.tar");
            assertTrue(e.getMessage().startsWith("unexpected end of layer"), length + ": " + e.getMessage());
        }
    }

    @Test
    void tarEndingBetweenEntriesWithoutEndMarkerIsAcceptedLikeGo() throws IOException {
        byte[] tar = new TarBuilder().file("a", "a").build();
        byte[] noTrailer = cut(tar, 1024);
        AppliedLayer applied = LayerApplier.apply(new ByteArrayInputStream(noTrailer), null, target);
        assertEquals(new AppliedLayer(TarBuilder.sha256(noTrailer), 1024), applied);
    }

    @Test
    void corruptGzipIsMalformed() {
        byte[] gz = TarBuilder.gzip(layer());
        for (int i = 100; i < 400; i++) {
            gz[i] ^= (byte) 0x5a;
        }
        JctrException e = refused(gz, null);
        assertTrue(e.getMessage().startsWith("malformed layer: "), e.getMessage());
    }

    @Test
    void garbageIsMalformed() {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        junk[0] = 'x';
        JctrException e = refused(junk, "application/vnd.oci.image.layer.v1.tar");
        assertTrue(e.getMessage().startsWith("malformed layer: "), e.getMessage());
    }

    @Test
    void oversizedExtendedHeaderIsRefusedWithoutBufferingIt() {
        byte[] huge = new byte[LayerTarInputStream.MAX_HEADER_BYTES + 1];
        Arrays.fill(huge, (byte) 'a');
        byte[] tar = new TarBuilder().rawPax(Map.of("comment", huge)).file("f", "x").build();
        JctrException e = refused(tar, null);
        assertTrue(e.getMessage().contains("exceeds " + LayerTarInputStream.MAX_HEADER_BYTES + " bytes"), e.getMessage());
    }

    @Test
    void callersIoErrorStaysAnIoException() {
        byte[] gz = TarBuilder.gzip(layer());
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(cut(gz, gz.length / 2)), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("content store read failed");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("content store read failed");
            }
        });
        IOException e = assertThrows(IOException.class, () -> LayerApplier.apply(failing, null, target));
        assertTrue(e.getMessage().contains("content store read failed"), e.getMessage());
        assertFalse(e.getClass().getSimpleName().equals("StreamFailure"), "the caller's own exception, unwrapped");
    }

    @Test
    void trailingDataAfterTheArchiveCountsInTheDiffId() throws IOException {
        byte[] tar = new TarBuilder().file("a", "a").build();
        byte[] withTrailer = Arrays.copyOf(tar, tar.length + 512);
        System.arraycopy("trailing".getBytes(StandardCharsets.UTF_8), 0, withTrailer, tar.length, 8);
        AppliedLayer applied = LayerApplier.apply(new ByteArrayInputStream(TarBuilder.gzip(withTrailer)), null, target);
        assertEquals(new AppliedLayer(TarBuilder.sha256(withTrailer), withTrailer.length), applied);
    }
}
