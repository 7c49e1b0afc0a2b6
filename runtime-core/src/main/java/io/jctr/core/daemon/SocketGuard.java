package io.jctr.core.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Makes sure only one daemon serves a socket path. Netty unlinks whatever is at the path before
 * it binds, so without a guard a second daemon would silently steal the socket of a running one.
 * The guard is an exclusive lock on {@code <socket>.lock}, held for the daemon's life and
 * released by the kernel when the process dies, so a crash never leaves it stuck. The lock file
 * holds the owner's pid, for the error message.
 */
public final class SocketGuard implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private SocketGuard(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws DaemonStartException when another live process holds the socket */
    public static SocketGuard acquire(Path socket) throws IOException {
        Path lockFile = socket.resolveSibling(socket.getFileName() + ".lock");
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = ch.tryLock();
        if (lock == null) {
            String owner = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
            ch.close();
            throw new DaemonStartException("another jctr daemon" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                    + " is already serving " + socket + "; stop it first or choose another --address");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        return new SocketGuard(ch, lock);
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
