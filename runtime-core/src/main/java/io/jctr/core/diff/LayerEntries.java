package io.jctr.core.diff;

import io.jctr.spi.JctrException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * A layer read as tar entries: caller's stream → decompressor → {@link DiffIdStream} → tar parser.
 * Streams throughout, one 64 KiB buffer at a time. Read failures are sorted by
 * {@link LayerSource#translate}: a bad layer is INVALID_ARGUMENT, the caller's I/O error stays an
 * {@link IOException}. Not thread-safe.
 */
final class LayerEntries implements Closeable {

    private static final int BUFFER = 64 * 1024;
    private static final int TAR_RECORD = 512;

    private final LayerSource source;
    private final DiffIdStream diff;
    private final LayerTarInputStream tar;
    private TarArchiveEntry current;
    /** One copy buffer for all entries: a buffer per file made most of an unpack's garbage. */
    private final byte[] buffer = new byte[BUFFER];

    private LayerEntries(LayerSource source, InputStream uncompressed) {
        this.source = source;
        this.diff = new DiffIdStream(uncompressed);
        this.tar = new LayerTarInputStream(diff);
    }

    /**
     * Opens {@code layer} of {@code mediaType} (see {@link LayerStreams}); the media type is
     * checked before anything is read.
     */
    static LayerEntries open(InputStream layer, String mediaType) throws IOException {
        LayerStreams.Compression compression = LayerStreams.compression(mediaType);
        LayerSource source = new LayerSource(layer);
        try {
            return new LayerEntries(source, LayerStreams.decompress(source, compression));
        } catch (IOException e) {
            throw source.translate(e);
        }
    }

    /** The next entry, or null after the last. */
    TarArchiveEntry next() throws IOException {
        try {
            current = tar.next();
            return current;
        } catch (IOException e) {
            throw source.translate(e);
        } catch (RuntimeException e) {
            throw source.translate(new IOException(e.toString(), e));
        }
    }

    /** The extended attributes the current entry's PAX header carries. */
    Map<String, byte[]> xattrs() {
        return PaxXattrs.parse(tar.rawPaxRecords(), current.getName());
    }

    /** Copies the current entry's data to {@code out}; write failures are not the layer's fault and stay as they are. */
    void copyEntry(OutputStream out) throws IOException {
        byte[] buf = buffer;
        while (true) {
            int n;
            try {
                n = tar.read(buf, 0, buf.length);
            } catch (IOException e) {
                throw source.translate(e);
            }
            if (n < 0) {
                return;
            }
            out.write(buf, 0, n);
        }
    }

    /**
     * Reads what follows the archive's end so the diff id covers the whole uncompressed stream,
     * and returns it. A stream that ends inside a 512-byte tar record was cut short.
     */
    AppliedLayer finish() throws IOException {
        try {
            diff.drain();
        } catch (IOException e) {
            throw source.translate(e);
        }
        if (diff.size() % TAR_RECORD != 0) {
            throw JctrException.invalidArgument("unexpected end of layer: tar stream ends inside a %d-byte record after %d bytes",
                    TAR_RECORD, diff.size());
        }
        return new AppliedLayer(diff.digest(), diff.size());
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
