package io.jctr.core.pull;

import io.jctr.spi.content.ContentReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.function.LongConsumer;

/**
 * Bytes {@code [start, end)} of a committed blob as a stream, reporting each read's end offset
 * (for upload progress). Owns and closes the reader. Not thread-safe.
 */
final class BlobInputStream extends InputStream {

    private final ContentReader reader;
    private final long end;
    private final LongConsumer progress;
    private long position;

    BlobInputStream(ContentReader reader, long start, long end, LongConsumer progress) {
        this.reader = reader;
        this.position = start;
        this.end = end;
        this.progress = progress;
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
        if (position >= end) {
            return -1;
        }
        int n = reader.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
        if (n <= 0) {
            return -1;
        }
        position += n;
        progress.accept(position);
        return n;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** Opens the range; for {@code BodyPublishers.ofInputStream}, which takes a supplier without checked exceptions. */
    interface Opener {
        ContentReader open() throws IOException;
    }

    static java.util.function.Supplier<InputStream> supplier(Opener opener, long start, long end, LongConsumer progress) {
        return () -> {
            try {
                return new BlobInputStream(opener.open(), start, end, progress);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
