package io.jctr.core.diff;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * commons-compress's tar parser with two additions layers need. It keeps the raw bytes of each
 * entry's PAX extended header, because commons-compress decodes PAX values as UTF-8 and xattr
 * values such as {@code security.capability} are binary. And it bounds the extended headers and
 * GNU long names it buffers to {@value #MAX_HEADER_BYTES} bytes (Go's archive/tar limit), so a
 * hostile header cannot exhaust the heap. Both work because commons-compress reads those headers
 * through this stream's own {@link #read(byte[], int, int)} while the header is the current entry.
 */
final class LayerTarInputStream extends TarArchiveInputStream {

    static final int MAX_HEADER_BYTES = 1 << 20;

    private final ByteArrayOutputStream pax = new ByteArrayOutputStream();
    private long headerBytes;

    LayerTarInputStream(InputStream in) {
        super(in, StandardCharsets.UTF_8.name());
    }

    /** The next entry with its extended headers applied, or null at the end of the archive. */
    TarArchiveEntry next() throws IOException {
        pax.reset();
        headerBytes = 0;
        return getNextEntry();
    }

    /** The raw PAX records ({@code "<len> <key>=<value>\n"}...) that preceded the current entry. */
    byte[] rawPaxRecords() {
        return pax.toByteArray();
    }

    @Override
    public int read(byte[] buf, int offset, int length) throws IOException {
        int n = super.read(buf, offset, length);
        TarArchiveEntry current = getCurrentEntry();
        if (n > 0 && current != null && isHeader(current)) {
            headerBytes += n;
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException("extended header of entry " + EntryNames.quote(current.getName()) + " exceeds "
                        + MAX_HEADER_BYTES + " bytes");
            }
            if (current.isPaxHeader()) {
                pax.write(buf, offset, n);
            }
        }
        return n;
    }

    private static boolean isHeader(TarArchiveEntry e) {
        return e.isPaxHeader() || e.isGlobalPaxHeader() || e.isGNULongNameEntry() || e.isGNULongLinkEntry();
    }
}
