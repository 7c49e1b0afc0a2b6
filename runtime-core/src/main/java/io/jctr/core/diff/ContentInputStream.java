package io.jctr.core.diff;

import io.jctr.spi.content.ContentReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/** A blob read front to back through positional reads. Not thread-safe. */
final class ContentInputStream extends InputStream {

    private final ContentReader reader;
    private long position;

    ContentInputStream(ContentReader reader) {
        this.reader = reader;
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
        if (position >= reader.size()) {
            return -1;
        }
        int n = reader.read(ByteBuffer.wrap(b, off, len), position);
        if (n > 0) {
            position += n;
        }
        return n <= 0 ? -1 : n;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
