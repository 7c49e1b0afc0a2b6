package io.jctr.plugins.content.local;

import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Positional reads of one blob file through a {@link FileChannel}, which serves concurrent
 * positional reads without a shared position. The blob is immutable, so its size is read once.
 * The open file keeps the blob readable even when it is deleted meanwhile.
 */
final class LocalContentReader implements ContentReader {

    private final FileChannel channel;
    private final long size;
    private final String digest;

    private LocalContentReader(FileChannel channel, long size, String digest) {
        this.channel = channel;
        this.size = size;
        this.digest = digest;
    }

    /** @throws java.nio.file.NoSuchFileException when the blob does not exist */
    static LocalContentReader open(Path blob, String digest) throws IOException {
        FileChannel ch = FileChannel.open(blob, StandardOpenOption.READ);
        try {
            return new LocalContentReader(ch, ch.size(), digest);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        if (position < 0) {
            throw JctrException.invalidArgument("negative read position %d in content %s", position, digest);
        }
        if (!channel.isOpen()) {
            throw new IOException("reader of content " + digest + " is closed");
        }
        if (position >= size) {
            return -1;
        }
        return channel.read(dst, position);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
