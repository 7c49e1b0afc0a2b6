package io.jctr.plugins.runtime.linux.seccomp;

/**
 * The libc functions the compiler needs to take libseccomp's output, bound by jnr-ffi. Public
 * only because jnr-ffi implements it in a class loader of its own; not an API.
 */
public interface LibC {

    /** memfd_create(2); -1 and errno on failure. */
    int memfd_create(String name, int flags);

    /** close(2). */
    int close(int fd);

    /** strerror(3). */
    String strerror(int errnum);
}
