package io.jctr.plugins.runtime.linux.task;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The libc functions behind terminals, bound by jnr-ffi: a unix socket that receives a pty master
 * with {@code SCM_RIGHTS}, and I/O on that master. Public only because jnr-ffi implements it in
 * a class loader of its own; not an API. A failing call returns -1 and sets errno.
 */
public interface TerminalLibC {

    int socket(int domain, int type, int protocol);

    int bind(int fd, @In byte[] sockaddr, int length);

    int listen(int fd, int backlog);

    int accept4(int fd, Pointer sockaddr, Pointer length, int flags);

    long recvmsg(int fd, Pointer msghdr, int flags);

    int poll(byte[] pollfds, long count, int timeoutMillis);

    long read(int fd, @Out byte[] buffer, long count);

    long write(int fd, @In byte[] buffer, long count);

    int ioctl(int fd, long request, @In byte[] argument);

    int close(int fd);

    String strerror(int errnum);
}
