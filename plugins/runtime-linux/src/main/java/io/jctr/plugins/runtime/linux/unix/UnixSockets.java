package io.jctr.plugins.runtime.linux.unix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Unix stream sockets, as the jctr-runc server and the console socket use them: listen, accept,
 * exact reads and writes, and messages that carry descriptors with their first bytes
 * ({@code SCM_RIGHTS}). LP64 layouts (amd64, arm64). Thread-safe: every call is a plain system
 * call on the caller's descriptor.
 */
public final class UnixSockets {

    static final int EINTR = 4;
    static final int EAGAIN = 11;

    private static final int AF_UNIX = 1;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_PATH = 010000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_PEERCRED = 17;
    private static final int SCM_RIGHTS = 1;
    private static final int SHUT_RDWR = 2;
    private static final int SUN_PATH_MAX = 108;
    private static final short POLLIN = 0x1;
    private static final short POLLOUT = 0x4;
    private static final short POLLRDHUP = 0x2000;
    /** Room for the descriptors a request carries (stdin, stdout, stderr) and then some. */
    private static final int MAX_FDS = 8;

    private static final UnixLibC LIBC = LibraryLoader.create(UnixLibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private UnixSockets() {
    }

    /** A peer's credentials ({@code SO_PEERCRED}). */
    public record Peer(int pid, int uid, int gid) {

        /** The peer's directory in {@code /proc}. */
        public Path proc() {
            return Path.of("/proc", Integer.toString(pid));
        }
    }

    /** Bytes that arrived together with descriptors. */
    public record Received(byte[] bytes, int[] fds) {
    }

    public static IOException failure(String what) {
        int errno = RUNTIME.getLastError();
        String text = LIBC.strerror(errno);
        return new IOException(what + ": " + (text == null ? "errno " + errno : text.toLowerCase(Locale.ROOT)));
    }

    private static int errno() {
        return RUNTIME.getLastError();
    }

    /** A socket listening at {@code path} (which must not exist), mode 0600. */
    public static int listen(Path path, int backlog) throws IOException {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_MAX) {
            throw new IOException("socket path too long for a unix socket: " + path);
        }
        int fd = LIBC.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw failure("socket");
        }
        byte[] addr = new byte[2 + SUN_PATH_MAX];
        ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).putShort((short) AF_UNIX);
        System.arraycopy(name, 0, addr, 2, name.length);
        if (LIBC.bind(fd, addr, addr.length) < 0 || LIBC.chmod(path.toString(), 0600) < 0
                || LIBC.listen(fd, backlog) < 0) {
            IOException e = failure("listen on " + path);
            LIBC.close(fd);
            throw e;
        }
        return fd;
    }

    /**
     * A connection to the socket {@code name} in {@code dir} (close-on-exec). A path too long
     * for {@code sun_path} is reached through {@code /proc/self/fd} and a descriptor of the
     * directory, so deep state directories still work.
     */
    public static int connect(Path dir, String name) throws IOException {
        Path path = dir.resolve(name);
        if (path.toString().getBytes(StandardCharsets.UTF_8).length < SUN_PATH_MAX) {
            return connect(path.toString(), path);
        }
        int dirFd = LIBC.open(dir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirFd < 0) {
            throw failure("open " + dir);
        }
        try {
            return connect("/proc/self/fd/" + dirFd + "/" + name, path);
        } finally {
            LIBC.close(dirFd);
        }
    }

    private static int connect(String address, Path path) throws IOException {
        byte[] name = address.getBytes(StandardCharsets.UTF_8);
        if (name.length >= SUN_PATH_MAX) {
            throw new IOException("socket path too long for a unix socket: " + path);
        }
        int fd = LIBC.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw failure("socket");
        }
        byte[] addr = new byte[2 + SUN_PATH_MAX];
        ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder()).putShort((short) AF_UNIX);
        System.arraycopy(name, 0, addr, 2, name.length);
        while (LIBC.connect(fd, addr, addr.length) < 0) {
            if (errno() != EINTR) {
                IOException e = failure("connect to " + path);
                LIBC.close(fd);
                throw e;
            }
        }
        return fd;
    }

    /** The next connection (close-on-exec). */
    public static int accept(int listener) throws IOException {
        while (true) {
            int fd = LIBC.accept4(listener, null, null, SOCK_CLOEXEC);
            if (fd >= 0) {
                return fd;
            }
            if (errno() != EINTR) {
                throw failure("accept");
            }
        }
    }

    public static Peer peer(int fd) throws IOException {
        byte[] cred = new byte[12];
        int[] len = {cred.length};
        if (LIBC.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cred, len) < 0) {
            throw failure("SO_PEERCRED");
        }
        ByteBuffer b = ByteBuffer.wrap(cred).order(ByteOrder.nativeOrder());
        return new Peer(b.getInt(0), b.getInt(4), b.getInt(8));
    }

    /**
     * Reads exactly {@code n} bytes and the descriptors that came with them (close-on-exec);
     * {@code null} when the stream ends before the first byte.
     */
    public static Received receive(int fd, int n) throws IOException {
        Runtime r = RUNTIME;
        Pointer data = Memory.allocateDirect(r, Math.max(n, 1));
        int controlSize = 16 + 4 * MAX_FDS;
        Pointer control = Memory.allocateDirect(r, controlSize);
        int got = 0;
        int[] fds = new int[0];
        while (got < n) {
            Pointer msg = message(r, data.address() + got, n - got, control, controlSize);
            long k = LIBC.recvmsg(fd, msg, MSG_CMSG_CLOEXEC);
            if (k < 0) {
                if (errno() == EINTR) {
                    continue;
                }
                throw failure("recvmsg");
            }
            if (k == 0) {
                if (got == 0) {
                    return null;
                }
                throw new IOException("connection closed in the middle of a message");
            }
            // struct cmsghdr: size_t cmsg_len; int cmsg_level; int cmsg_type; then the data
            long controlLength = msg.getLong(40);
            if (controlLength >= 16 && control.getInt(8) == SOL_SOCKET && control.getInt(12) == SCM_RIGHTS) {
                int count = (int) ((control.getLong(0) - 16) / 4);
                int[] more = new int[fds.length + count];
                System.arraycopy(fds, 0, more, 0, fds.length);
                for (int i = 0; i < count; i++) {
                    more[fds.length + i] = control.getInt(16 + 4L * i);
                }
                fds = more;
            }
            got += (int) k;
        }
        byte[] bytes = new byte[n];
        data.get(0, bytes, 0, n);
        return new Received(bytes, fds);
    }

    /**
     * A {@code struct msghdr} for one buffer of {@code length} bytes at {@code address} and a
     * control buffer: no name, no flags.
     */
    private static Pointer message(Runtime r, long address, long length, Pointer control, long controlLength) {
        Pointer iov = Memory.allocateDirect(r, 16);
        iov.putAddress(0, address);
        iov.putLong(8, length);
        Pointer msg = Memory.allocateDirect(r, 56);
        msg.putAddress(0, 0);          // msg_name
        msg.putInt(8, 0);              // msg_namelen
        msg.putAddress(16, iov.address());
        msg.putLong(24, 1);            // msg_iovlen
        msg.putAddress(32, control.address());
        msg.putLong(40, controlLength);
        msg.putInt(48, 0);             // msg_flags
        return msg;
    }

    /** Reads exactly {@code n} bytes; no descriptors are expected. */
    public static byte[] readFully(int fd, int n) throws IOException {
        byte[] out = new byte[n];
        byte[] chunk = new byte[Math.min(n, 65536)];
        int got = 0;
        while (got < n) {
            long k = LIBC.read(fd, chunk, Math.min(chunk.length, n - got));
            if (k < 0) {
                if (errno() == EINTR) {
                    continue;
                }
                throw failure("read");
            }
            if (k == 0) {
                throw new IOException("connection closed in the middle of a message");
            }
            System.arraycopy(chunk, 0, out, got, (int) k);
            got += (int) k;
        }
        return out;
    }

    /** Sends all of {@code bytes}, with descriptor {@code fd} attached when it is not -1. */
    public static void send(int socket, byte[] bytes, int fd) throws IOException {
        int off = 0;
        if (fd >= 0) {
            Runtime r = RUNTIME;
            Pointer data = Memory.allocateDirect(r, bytes.length);
            data.put(0, bytes, 0, bytes.length);
            Pointer control = Memory.allocateDirect(r, 24);
            control.putLong(0, 20);           // cmsg_len = CMSG_LEN(sizeof(int))
            control.putInt(8, SOL_SOCKET);
            control.putInt(12, SCM_RIGHTS);
            control.putInt(16, fd);
            Pointer msg = message(r, data.address(), bytes.length, control, 24); // CMSG_SPACE(sizeof(int))
            long k;
            do {
                k = LIBC.sendmsg(socket, msg, MSG_NOSIGNAL);
            } while (k < 0 && errno() == EINTR);
            if (k < 0) {
                throw failure("sendmsg");
            }
            off = (int) k;
        }
        while (off < bytes.length) {
            byte[] rest = off == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, off, bytes.length);
            long k = LIBC.send(socket, rest, rest.length, MSG_NOSIGNAL);
            if (k < 0) {
                if (errno() == EINTR) {
                    continue;
                }
                throw failure("send");
            }
            off += (int) k;
        }
    }

    /** Writes all of {@code bytes[off, off+len)} to {@code fd}, waiting out a non-blocking one. */
    public static void write(int fd, byte[] bytes, int off, int len) throws IOException {
        while (len > 0) {
            byte[] chunk = off == 0 && len == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, off, off + len);
            long k = LIBC.write(fd, chunk, chunk.length);
            if (k < 0) {
                int e = errno();
                if (e == EINTR) {
                    continue;
                }
                if (e == EAGAIN) {
                    await(fd, POLLOUT, -1);
                    continue;
                }
                throw failure("write");
            }
            off += (int) k;
            len -= (int) k;
        }
    }

    /** Reads up to {@code len} bytes into {@code bytes[off...]}; -1 at the end. */
    public static int read(int fd, byte[] bytes, int off, int len) throws IOException {
        byte[] chunk = new byte[Math.min(len, 65536)];
        while (true) {
            long k = LIBC.read(fd, chunk, chunk.length);
            if (k < 0) {
                int e = errno();
                if (e == EINTR) {
                    continue;
                }
                if (e == EAGAIN) {
                    await(fd, POLLIN, -1);
                    continue;
                }
                throw failure("read");
            }
            if (k == 0) {
                return -1;
            }
            System.arraycopy(chunk, 0, bytes, off, (int) k);
            return (int) k;
        }
    }

    /** Whether the peer of {@code fd} has hung up, waiting at most {@code millis}. */
    public static boolean hungUp(int fd, int millis) {
        byte[] pollfd = new byte[8];
        ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder()).putInt(0, fd).putShort(4, POLLRDHUP);
        if (LIBC.poll(pollfd, 1, millis) <= 0) {
            return false;
        }
        return ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder()).getShort(6) != 0;
    }

    /** Whether {@code fd} became readable (a listener: has a connection) within {@code millis}. */
    public static boolean awaitReadable(int fd, int millis) {
        return await(fd, POLLIN, millis);
    }

    private static boolean await(int fd, short events, int millis) {
        byte[] pollfd = new byte[8];
        ByteBuffer.wrap(pollfd).order(ByteOrder.nativeOrder()).putInt(0, fd).putShort(4, events);
        return LIBC.poll(pollfd, 1, millis) > 0;
    }

    /**
     * Shuts a listening socket down: unlike close(2), this wakes a thread blocked in accept on
     * it (which then fails), and no connection is accepted after it.
     */
    public static void shutdown(int listener) {
        if (listener >= 0) {
            LIBC.shutdown(listener, SHUT_RDWR);
        }
    }

    public static void close(int fd) {
        if (fd >= 0) {
            LIBC.close(fd);
        }
    }
}
