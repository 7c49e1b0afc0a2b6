package io.jctr.plugins.runtime.linux.task;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;

/**
 * Copies between a process's pty master and its stdio paths, as a shim does for a terminal:
 * master → stdout on one thread (until the last holder of the pty's other side exits and the
 * master reads EIO), stdin → master on another. The stdio paths are FIFOs this runtime also
 * holds open ({@link TaskStdio}), so these opens never block. Thread-safe.
 */
final class PtyRelay implements AutoCloseable {

    private static final long TIOCSWINSZ = 0x5414;

    private static TerminalLibC libc;
    private static Runtime runtime;

    private final int master;
    private final FileChannel out;
    private final FileChannel in;
    private volatile boolean closed;
    private final Thread outThread;

    PtyRelay(int master, Path stdin, Path stdout) throws IOException {
        this.master = master;
        this.out = stdout == null ? null
                : FileChannel.open(stdout, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        this.in = stdin == null ? null : FileChannel.open(stdin, StandardOpenOption.READ);
        outThread = thread("jctr-pty-out-" + master, this::copyOut);
        if (in != null) {
            thread("jctr-pty-in-" + master, this::copyIn);
        }
    }

    static synchronized TerminalLibC libc() {
        if (libc == null) {
            libc = LibraryLoader.create(TerminalLibC.class).load(Platform.getNativePlatform().getStandardCLibraryName());
            runtime = Runtime.getRuntime(libc);
        }
        return libc;
    }

    static IOException failure(String call) {
        libc();
        int errno = runtime.getLastError();
        return new IOException(call + ": " + libc.strerror(errno));
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(null, body, name, 256 * 1024);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void copyOut() {
        TerminalLibC c = libc();
        byte[] buf = new byte[32 * 1024];
        try {
            while (!closed) {
                long n = c.read(master, buf, buf.length);
                if (n <= 0) {
                    break; // EIO: every process holding the pty's other side is gone
                }
                if (out != null) {
                    out.write(ByteBuffer.wrap(buf, 0, (int) n));
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to copy to
        } finally {
            closeQuietly(out);
        }
    }

    private void copyIn() {
        TerminalLibC c = libc();
        ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
        try {
            while (!closed) {
                buf.clear();
                int n = in.read(buf);
                if (n < 0) {
                    // what a user at the terminal types for end-of-file (VEOF, ^D)
                    c.write(master, new byte[] {4}, 1);
                    break;
                }
                byte[] bytes = new byte[n];
                buf.flip().get(bytes);
                if (c.write(master, bytes, n) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // closed under us
        } finally {
            closeQuietly(in);
        }
    }

    /** Sets the terminal's size. */
    void resize(int width, int height) throws IOException {
        byte[] winsize = new byte[8];
        ByteBuffer.wrap(winsize).order(ByteOrder.nativeOrder()).putShort((short) height).putShort((short) width);
        if (libc().ioctl(master, TIOCSWINSZ, winsize) < 0) {
            throw failure("resize the terminal");
        }
    }

    /** Waits briefly for the output to drain, then releases everything. */
    @Override
    public void close() {
        try {
            outThread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        closeQuietly(in);
        closeQuietly(out);
        libc().close(master);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // released either way
            }
        }
    }
}
