package io.jctr.plugins.runtime.linux.seccomp;

import io.jctr.plugins.runtime.linux.spec.SpecException;
import io.jctr.spi.JctrException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;

/**
 * libseccomp and libc, loaded once per JVM on first use. A host without libseccomp (package
 * {@code libseccomp2}) can still run containers without a seccomp filter.
 */
final class NativeLibraries {

    /** The versioned soname: the unversioned one exists only with libseccomp-dev. */
    static final String SONAME = "libseccomp.so.2";

    private NativeLibraries() {
    }

    /** libseccomp's functions. */
    static LibSeccomp seccomp() {
        return loaded().seccomp;
    }

    /** libc's functions. */
    static LibC libc() {
        return loaded().libc;
    }

    /** The jnr-ffi runtime, for native memory. */
    static jnr.ffi.Runtime runtime() {
        return jnr.ffi.Runtime.getRuntime(loaded().seccomp);
    }

    /** {@code major.minor.micro} of the loaded library. */
    static String version() {
        Pointer v = seccomp().seccomp_version();
        return v.getInt(0) + "." + v.getInt(4) + "." + v.getInt(8);
    }

    private static Loaded loaded() {
        if (Holder.FAILURE != null) {
            throw new SpecException(JctrException.Kind.FAILED_PRECONDITION, "linux.seccomp",
                    "cannot load " + SONAME + " (install libseccomp2): " + Holder.FAILURE.getMessage());
        }
        return Holder.LOADED;
    }

    private record Loaded(LibSeccomp seccomp, LibC libc) {
    }

    private static final class Holder {
        static final Loaded LOADED;
        static final Throwable FAILURE;

        static {
            Loaded loaded = null;
            Throwable failure = null;
            try {
                loaded = new Loaded(LibraryLoader.create(LibSeccomp.class).failImmediately().load(SONAME),
                        LibraryLoader.create(LibC.class).failImmediately().load("c"));
            } catch (LinkageError | RuntimeException e) {
                failure = e;
            }
            LOADED = loaded;
            FAILURE = failure;
        }

        private Holder() {
        }
    }
}
