package io.jctr.core.mount;

import jnr.ffi.LibraryLoader;

/** The two libc calls mounting needs, through jnr-ffi. */
public interface LibMount {

    int mount(String source, String target, String type, long flags, String data);

    int umount2(String target, int flags);

    /** Loaded once per JVM. */
    final class Holder {
        static final LibMount LIBC = LibraryLoader.create(LibMount.class).load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);

        private Holder() {
        }
    }
}
