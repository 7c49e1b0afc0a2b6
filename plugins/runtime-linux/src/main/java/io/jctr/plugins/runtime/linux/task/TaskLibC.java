package io.jctr.plugins.runtime.linux.task;

/**
 * The libc functions the task runtime calls, bound by jnr-ffi. Public only because jnr-ffi
 * implements it in a class loader of its own; not an API. A failing call returns -1 and sets
 * errno, which {@link NativeCalls} reads.
 */
public interface TaskLibC {

    /** mount(2); {@code null} strings are passed as NULL. */
    int mount(String source, String target, String type, long flags, String data);

    /** umount2(2). */
    int umount2(String target, int flags);

    /** strerror(3). */
    String strerror(int errnum);
}
