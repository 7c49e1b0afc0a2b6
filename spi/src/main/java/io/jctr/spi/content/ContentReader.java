package io.jctr.spi.content;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Random-access read of one committed blob (containerd's {@code content.ReaderAt}).
 *
 * <p>Thread-safety: {@link #read} and {@link #size} may be called concurrently from any number of
 * threads, like {@link java.nio.channels.FileChannel#read(ByteBuffer, long)}. {@link #close} must
 * not race with reads; after it, reads fail.
 */
public interface ContentReader extends Closeable {

    /** The blob's size in bytes; constant for the reader's life. */
    long size();

    /**
     * Reads bytes starting at {@code position} into {@code dst}, without changing any shared
     * position. Reads at least one byte unless {@code dst} has no room or the position is at or
     * past the end; may read fewer bytes than {@code dst} has room for.
     *
     * @param dst      where the bytes go, from its position up to its limit
     * @param position the offset in the blob to read from, at least 0
     * @return the number of bytes read, or -1 when {@code position >= size()}
     * @throws io.jctr.spi.JctrException {@code INVALID_ARGUMENT} when the position is negative
     * @throws IOException               when the storage fails, or the reader is closed
     */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Releases the reader; idempotent. */
    @Override
    void close() throws IOException;
}
