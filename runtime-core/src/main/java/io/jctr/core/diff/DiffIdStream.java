package io.jctr.core.diff;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;

/**
 * Digests and counts the uncompressed layer as it streams to the tar parser. Unlike
 * {@link java.security.DigestInputStream}, skipped bytes are read and digested too: the tar parser
 * skips the data of entries it is not asked for, and the diff id covers every byte.
 */
final class DiffIdStream extends FilterInputStream {

    private static final int BUFFER = 64 * 1024;

    private final Sha256 sha256 = Sha256.create();
    private final byte[] one = new byte[1];
    /** Reused by skip and drain: the tar parser skips the data of every entry it does not copy. */
    private final byte[] scratch = new byte[BUFFER];
    private long size;

    DiffIdStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            one[0] = (byte) b;
            sha256.update(one, 0, 1);
            size++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            sha256.update(b, off, n);
            size += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = scratch;
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readLimit) {
        // not supported: every byte is digested exactly once
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    /** Reads whatever follows the tar archive (padding, trailing zeros) so it counts too. */
    void drain() throws IOException {
        byte[] buf = scratch;
        while (read(buf, 0, buf.length) >= 0) {
            // digested by read
        }
    }

    /** {@code sha256:<hex>} of everything read so far. */
    String digest() {
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    long size() {
        return size;
    }
}
