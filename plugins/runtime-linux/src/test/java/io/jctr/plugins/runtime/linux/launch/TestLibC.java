package io.jctr.plugins.runtime.linux.launch;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/** What tests call besides {@link LibC}: the receiving end of a console socket. */
public interface TestLibC {

    TestLibC INSTANCE = LibraryLoader.create(TestLibC.class).load("c");

    int socket(int domain, int type, int protocol);

    int bind(int fd, @In byte[] address, int length);

    int listen(int fd, int backlog);

    int accept(int fd, Pointer address, Pointer length);

    long recvmsg(int fd, Pointer message, int flags);

    long read(int fd, @Out byte[] buf, long count);

    int close(int fd);
}
