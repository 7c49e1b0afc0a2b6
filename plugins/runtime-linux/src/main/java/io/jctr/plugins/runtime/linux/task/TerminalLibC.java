package io.jctr.plugins.runtime.linux.task;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The libc functions of the terminal relay ({@link PtyRelay}), bound by jnr-ffi: I/O on a pty
 * master and its size. The master itself arrives on a {@link ConsoleSocket}. Public only because jnr-ffi implements it in
 * a class loader of its own; not an API. A failing call returns -1 and sets errno.
 */
public interface TerminalLibC {

    long read(int fd, @Out byte[] buffer, long count);

    long write(int fd, @In byte[] buffer, long count);

    int ioctl(int fd, long request, @In byte[] argument);

    int close(int fd);

    String strerror(int errnum);
}
