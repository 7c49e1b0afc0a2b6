package io.jctr.core.diff;

import com.github.luben.zstd.ZstdInputStream;
import io.jctr.spi.JctrException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Layer media types and decompression. A media type that declares gzip or zstd is decompressed
 * as declared (so a mismatch is an error); an uncompressed OCI or Docker type, and no media type
 * at all, are sniffed by magic bytes (gzip {@code 1f 8b}, zstd {@code 28 b5 2f fd}), as containerd
 * does for layers whose compression is unknown. Media type parameters are ignored.
 */
final class LayerStreams {

    enum Compression { NONE, GZIP, ZSTD, DETECT }

    private static final int BUFFER = 64 * 1024;
    /** Reads of the stored blob: few large positional reads rather than many small ones. */
    private static final int SOURCE_BUFFER = 1024 * 1024;
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    private static final Map<String, Compression> MEDIA_TYPES = Map.ofEntries(
            Map.entry("application/vnd.oci.image.layer.v1.tar", Compression.DETECT),
            Map.entry("application/vnd.oci.image.layer.v1.tar+gzip", Compression.GZIP),
            Map.entry("application/vnd.oci.image.layer.v1.tar+zstd", Compression.ZSTD),
            Map.entry("application/vnd.oci.image.layer.nondistributable.v1.tar", Compression.DETECT),
            Map.entry("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", Compression.GZIP),
            Map.entry("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", Compression.ZSTD),
            Map.entry("application/vnd.docker.image.rootfs.diff.tar", Compression.DETECT),
            Map.entry("application/vnd.docker.image.rootfs.diff.tar.gzip", Compression.GZIP),
            Map.entry("application/vnd.docker.image.rootfs.diff.tar.zstd", Compression.ZSTD),
            Map.entry("application/vnd.docker.image.rootfs.foreign.diff.tar", Compression.DETECT),
            Map.entry("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", Compression.GZIP));

    private LayerStreams() {
    }

    /**
     * The compression {@code mediaType} declares; {@link Compression#DETECT} when it is null or blank.
     *
     * @throws JctrException INVALID_ARGUMENT naming any other media type
     */
    static Compression compression(String mediaType) {
        if (mediaType == null || mediaType.isBlank()) {
            return Compression.DETECT;
        }
        int params = mediaType.indexOf(';');
        String base = (params < 0 ? mediaType : mediaType.substring(0, params)).trim().toLowerCase(Locale.ROOT);
        Compression c = MEDIA_TYPES.get(base);
        if (c == null) {
            throw JctrException.invalidArgument("unsupported layer media type %s", EntryNames.quote(mediaType));
        }
        return c;
    }

    /** The uncompressed tar stream of {@code layer}; closing it releases the decompressor. */
    static InputStream decompress(InputStream layer, Compression declared) throws IOException {
        BufferedInputStream in = new BufferedInputStream(layer, SOURCE_BUFFER);
        Compression c = declared == Compression.DETECT ? sniff(in) : declared;
        return switch (c) {
            case GZIP -> new ReadAheadInputStream(new GZIPInputStream(in, BUFFER));
            case ZSTD -> new ReadAheadInputStream(new ZstdInputStream(in));
            default -> in;
        };
    }

    private static Compression sniff(BufferedInputStream in) throws IOException {
        in.mark(ZSTD_MAGIC.length);
        byte[] head = in.readNBytes(ZSTD_MAGIC.length);
        in.reset();
        if (startsWith(head, GZIP_MAGIC)) {
            return Compression.GZIP;
        }
        return startsWith(head, ZSTD_MAGIC) ? Compression.ZSTD : Compression.NONE;
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        return head.length >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
    }
}
