package io.jctr.plugins.runtime.linux.launch;

import java.io.IOException;
import java.io.InputStream;

/**
 * The C helper and the shim, each as one sealed in-memory file per JVM. A container that could write to the
 * binary its runtime executes could take over the next launch (CVE-2019-5736); a sealed memfd
 * cannot be written at all, by anyone. One copy serves every launch: runc once made a copy per
 * container and exhausted memory with them (opencontainers/runc#3973).
 *
 * <p>Every helper is executed by the path {@code /proc/<jvm pid>/fd/<memfd>}: it names the
 * JVM's descriptor table, not the spawned child's, so it stays valid whatever the child's file
 * actions close, and the memfd itself is close-on-exec, so no child inherits it.
 * Thread-safe.
 */
final class HelperBinary {

    static final String RESOURCE = "/io/jctr/plugins/runtime/linux/helper/jctr-helper";
    /** The per-task shim (src/main/c-shim), sealed the same way. */
    static final String SHIM_RESOURCE = "/io/jctr/plugins/runtime/linux/helper/jctr-shim";

    private static final int MFD_CLOEXEC = 0x1;
    private static final int MFD_ALLOW_SEALING = 0x2;
    /** Linux 6.3+: without it the kernel warns, and vm.memfd_noexec=2 refuses to exec. */
    private static final int MFD_EXEC = 0x10;
    private static final int EINVAL = 22;
    private static final int F_ADD_SEALS = 1033;
    private static final int F_SEALS = 0x1 | 0x2 | 0x4 | 0x8; // SEAL, SHRINK, GROW, WRITE

    private static String path;
    private static String shimPath;

    private HelperBinary() {
    }

    /** The path to execute the helper by, creating the sealed copy on first use. */
    static synchronized String path() throws IOException {
        if (path == null) {
            path = seal(RESOURCE, "jctr-helper");
        }
        return path;
    }

    /** The path to execute the shim by, likewise. */
    static synchronized String shimPath() throws IOException {
        if (shimPath == null) {
            shimPath = seal(SHIM_RESOURCE, "jctr-shim");
        }
        return shimPath;
    }

    private static String seal(String resource, String name) throws IOException {
        Posix posix = Posix.system();
        int fd = create(posix, load(resource), name);
        return "/proc/" + posix.libc.getpid() + "/fd/" + fd;
    }

    private static byte[] load(String resource) throws IOException {
        try (InputStream in = HelperBinary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " is missing: it was not built");
            }
            return in.readAllBytes();
        }
    }

    private static int create(Posix posix, byte[] bytes, String name) throws IOException {
        int fd = posix.libc.memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
        if (fd < 0 && posix.errno() == EINVAL) {
            fd = posix.libc.memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        }
        if (fd < 0) {
            throw posix.failure("memfd_create " + name);
        }
        try {
            long written = posix.libc.write(fd, bytes, bytes.length);
            if (written != bytes.length) {
                throw posix.failure("write " + name + " to its memfd");
            }
            if (posix.libc.fcntl(fd, F_ADD_SEALS, F_SEALS) < 0) {
                throw posix.failure("seal the memfd of " + name);
            }
            return fd;
        } catch (IOException e) {
            posix.close(fd);
            throw e;
        }
    }
}
