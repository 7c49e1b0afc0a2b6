package io.jctr.plugins.runtime.linux.task;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * runc's {@code --console-socket} receiving end: a listening unix socket to which the helper
 * connects and sends the pty master of a process with a terminal ({@code SCM_RIGHTS}, message
 * {@code /dev/ptmx}). The helper sends before its launch returns, into the listen backlog, so
 * {@link #receive} runs afterwards on the same thread. LP64 layouts (amd64, arm64).
 */
final class ConsoleSocket implements AutoCloseable {

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final short POLLIN = 0x1;
    private static final int SUN_PATH_MAX = 108;
    private static final long RECEIVE_TIMEOUT_MILLIS = 10_000;

    private static TerminalLibC libc;
    private static Runtime runtime;

    private final Path path;
    private int fd;

    private ConsoleSocket(Path path, int fd) {
        this.path = path;
        this.fd = fd;
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

    /** Listens at {@code path} (which must not exist). */
    static ConsoleSocket listen(Path path) throws IOException {
        TerminalLibC c = libc();
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_MAX) {
            throw new IOException("console socket path too long for a unix socket: " + path);
        }
        Files.createDirectories(path.getParent());
        int fd = c.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw failure("socket");
        }
        byte[] addr = new byte[2 + SUN_PATH_MAX];
        ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).putShort((short) AF_UNIX);
        System.arraycopy(name, 0, addr, 2, name.length);
        if (c.bind(fd, addr, addr.length) < 0 || c.listen(fd, 1) < 0) {
            IOException e = failure("bind/listen " + path);
            c.close(fd);
            throw e;
        }
        return new ConsoleSocket(path, fd);
    }

    Path path() {
        return path;
    }

    /** Accepts the helper's connection and returns the pty master it sent (close-on-exec). */
    int receive() throws IOException {
        TerminalLibC c = libc();
        byte[] pollfd = new byte[8];
        ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder()).putInt(0, fd).putShort(4, POLLIN);
        if (c.poll(pollfd, 1, (int) RECEIVE_TIMEOUT_MILLIS) <= 0) {
            throw new IOException("no terminal arrived on console socket " + path);
        }
        int conn = c.accept4(fd, null, null, SOCK_CLOEXEC);
        if (conn < 0) {
            throw failure("accept " + path);
        }
        try {
            return receiveFd(conn);
        } finally {
            c.close(conn);
        }
    }

    private static int receiveFd(int conn) throws IOException {
        Runtime r = runtime;
        Pointer data = Memory.allocateDirect(r, 64);
        Pointer iov = Memory.allocateDirect(r, 16);
        iov.putAddress(0, data.address());
        iov.putLong(8, 64);
        Pointer control = Memory.allocateDirect(r, 64);
        Pointer msg = Memory.allocateDirect(r, 56);
        msg.putAddress(0, 0);          // msg_name
        msg.putInt(8, 0);              // msg_namelen
        msg.putAddress(16, iov.address());
        msg.putLong(24, 1);            // msg_iovlen
        msg.putAddress(32, control.address());
        msg.putLong(40, 64);           // msg_controllen
        msg.putInt(48, 0);             // msg_flags
        long n = libc.recvmsg(conn, msg, MSG_CMSG_CLOEXEC);
        if (n < 0) {
            throw failure("recvmsg on the console socket");
        }
        long controlLength = msg.getLong(40);
        // struct cmsghdr: size_t cmsg_len; int cmsg_level; int cmsg_type; then the data
        if (controlLength < 20 || control.getInt(8) != SOL_SOCKET || control.getInt(12) != SCM_RIGHTS) {
            throw new IOException("the console socket received no descriptor");
        }
        return control.getInt(16);
    }

    @Override
    public void close() {
        if (fd >= 0) {
            libc().close(fd);
            fd = -1;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a stale socket file is harmless: the next one gets another name
        }
    }
}
