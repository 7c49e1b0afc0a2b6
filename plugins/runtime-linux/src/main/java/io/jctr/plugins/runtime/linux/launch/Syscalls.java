package io.jctr.plugins.runtime.linux.launch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The few system calls the container life cycle needs that Java lacks: signals, FIFOs and a
 * bounded wait on one, over the launcher's libc binding (one jnr-ffi binding per process, not
 * one per package: each costs start-up). Errors become {@link IOException}s naming the call,
 * its argument and errno's text.
 */
public final class Syscalls {

    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final short POLLIN = 0x1;
    private static final short POLLHUP = 0x10;
    /** errno for a process that does not exist. */
    public static final int ESRCH = 3;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;


    private Syscalls() {
    }

    /**
     * Sends {@code signal} to {@code pid}.
     *
     * @return false when the process does not exist (ESRCH)
     */
    public static boolean kill(int pid, int signal) throws IOException {
        if (Posix.system().libc.kill(pid, signal) == 0) {
            return true;
        }
        int errno = Posix.system().errno();
        if (errno == ESRCH) {
            return false;
        }
        throw failure("kill(" + pid + ", " + signal + ")", errno);
    }

    /** Creates a FIFO at {@code path} with {@code mode} (less the umask). */
    public static void mkfifo(Path path, int mode) throws IOException {
        if (Posix.system().libc.mkfifo(path.toString(), mode) != 0) {
            throw failure("mkfifo " + path, Posix.system().errno());
        }
    }

    /**
     * Opens the FIFO at {@code path} for reading and waits until a writer writes one byte (the
     * created init, releasing itself to exec), checking {@code stillWaiting} between waits so a
     * writer that died does not block the caller forever.
     *
     * @return true when the byte arrived; false when {@code stillWaiting} said to give up
     */
    public static boolean awaitFifoByte(Path path, java.util.function.BooleanSupplier stillWaiting)
            throws IOException {
        // Non-blocking open: a blocking one would wait for a writer that may never come.
        int fd = Posix.system().libc.open(path.toString(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            throw failure("open " + path, Posix.system().errno());
        }
        try {
            byte[] one = new byte[1];
            ByteBuffer pollfd = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
            while (true) {
                pollfd.clear();
                pollfd.putInt(0, fd).putShort(4, POLLIN).putShort(6, (short) 0);
                int n = Posix.system().libc.poll(pollfd.array(), 1, 100);
                if (n < 0 && Posix.system().errno() != EINTR) {
                    throw failure("poll " + path, Posix.system().errno());
                }
                short revents = ByteBuffer.wrap(pollfd.array()).order(ByteOrder.nativeOrder()).getShort(6);
                if (n > 0 && (revents & (POLLIN | POLLHUP)) != 0) {
                    long r = Posix.system().libc.read(fd, one, 1);
                    if (r == 1) {
                        return true;
                    }
                    if (r < 0 && Posix.system().errno() != EAGAIN && Posix.system().errno() != EINTR) {
                        throw failure("read " + path, Posix.system().errno());
                    }
                    if (r == 0 && (revents & POLLHUP) != 0) {
                        // The writer opened and closed without writing: it died.
                        return false;
                    }
                }
                if (!stillWaiting.getAsBoolean()) {
                    return false;
                }
            }
        } finally {
            Posix.system().libc.close(fd);
        }
    }

    private static IOException failure(String call, int errno) {
        return new IOException(call + ": " + Posix.system().libc.strerror(errno));
    }
}
