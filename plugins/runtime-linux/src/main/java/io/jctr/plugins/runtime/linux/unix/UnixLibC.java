package io.jctr.plugins.runtime.linux.unix;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The libc functions {@link UnixSockets} calls, bound by jnr-ffi: listening unix sockets,
 * messages with descriptors ({@code SCM_RIGHTS}), the peer's credentials, and I/O on
 * descriptors the JDK cannot wrap. Public only because jnr-ffi implements it in a class loader
 * of its own; not an API. A failing call returns -1 and sets errno.
 */
public interface UnixLibC {

    int socket(int domain, int type, int protocol);

    int bind(int fd, @In byte[] sockaddr, int length);

    int listen(int fd, int backlog);

    int connect(int fd, @In byte[] sockaddr, int length);

    /** open(2) without a mode: never creates. */
    int open(String path, int flags);

    int accept4(int fd, Pointer sockaddr, Pointer length, int flags);

    long recvmsg(int fd, Pointer msghdr, int flags);

    long sendmsg(int fd, Pointer msghdr, int flags);

    long send(int fd, @In byte[] buffer, long count, int flags);

    long read(int fd, @Out byte[] buffer, long count);

    long write(int fd, @In byte[] buffer, long count);

    int getsockopt(int fd, int level, int name, @Out byte[] value, @In @Out int[] length);

    /** poll(2) on {@code count} {@code struct pollfd}s laid out in {@code pollfds} (8 bytes each). */
    int poll(@In @Out byte[] pollfds, long count, int timeoutMillis);

    int shutdown(int fd, int how);

    int close(int fd);

    int chmod(String path, int mode);

    String strerror(int errno);
}
