package io.jctr.plugins.content.local;

import io.jctr.spi.JctrException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.UUID;

/**
 * The exclusive right to change one ingest: a claim in this process ({@link RefLocks}) plus,
 * once {@link #lockFile} succeeds, an OS lock on the ingest's lock file that keeps other
 * processes (a second daemon on the same root) out. Closing releases both. Not thread-safe; it
 * belongs to one writer or one abort.
 */
final class IngestLock implements Closeable {

    private final String ref;
    private final Runnable unclaim;
    private FileChannel channel;
    private FileChannel byName;
    private boolean released;

    IngestLock(String ref, Runnable unclaim) {
        this.ref = ref;
        this.unclaim = unclaim;
    }

    static JctrException locked(String ref) {
        return JctrException.unavailable("ref %s locked", ref);
    }

    /**
     * Takes the OS lock on {@code file}, creating it; never waits.
     *
     * <p>The lock file goes away with its ingest while its holder still has it locked, so a
     * process may end up locking a file that is no longer at {@code file}. Writing a fresh token
     * through the locked channel and reading it back by name proves the name still leads to the
     * locked file. The second channel stays open until {@link #close}: closing it would drop the
     * POSIX lock.
     *
     * @throws JctrException UNAVAILABLE when another process holds it, or the ingest is being
     *                       removed at this moment
     */
    void lockFile(Path file) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw locked(ref);
        }
        channel = ch;
        if (tryLock(ch) == null) {
            throw locked(ref);
        }
        byte[] token = UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(token), 0);
        try {
            byName = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw locked(ref);
        }
        ByteBuffer seen = ByteBuffer.allocate(token.length + 1);
        int n;
        do {
            n = byName.read(seen, seen.position());
        } while (n > 0 && seen.hasRemaining());
        if (!Arrays.equals(token, Arrays.copyOf(seen.array(), seen.position()))) {
            throw locked(ref);
        }
    }

    /** Releases the OS lock and the claim; idempotent. Also ends a failed {@link #lockFile}. */
    @Override
    public void close() throws IOException {
        if (released) {
            return;
        }
        released = true;
        // close before unclaiming: once unclaimed, another store in this JVM may lock the file,
        // and closing a descriptor of it afterwards would drop that store's lock
        try {
            if (byName != null) {
                byName.close();
            }
        } finally {
            try {
                if (channel != null) {
                    channel.close();
                }
            } finally {
                unclaim.run();
            }
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this JVM holds it through another path to the same file (a bind mount)
        }
    }
}
