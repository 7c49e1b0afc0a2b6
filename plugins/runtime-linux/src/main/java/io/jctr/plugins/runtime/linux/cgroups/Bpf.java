package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.spi.JctrException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The {@code bpf(2)} commands that install a device program on a cgroup v2 directory: load,
 * attach with {@code BPF_F_ALLOW_MULTI} (so nested runtimes can add their own), query and
 * detach the programs attached before. Thread-safe.
 */
final class Bpf {

    private static final int PROG_LOAD = 5;
    private static final int PROG_ATTACH = 8;
    private static final int PROG_DETACH = 9;
    private static final int PROG_GET_FD_BY_ID = 13;
    private static final int PROG_QUERY = 16;
    private static final int PROG_TYPE_CGROUP_DEVICE = 15;
    private static final int ATTACH_CGROUP_DEVICE = 6;
    private static final int F_ALLOW_MULTI = 2;
    private static final int ATTR_SIZE = 128;
    private static final int O_DIRECTORY = 0200000;
    private static final int O_CLOEXEC = 02000000;

    private static LibC sys;
    private static jnr.ffi.Runtime runtime;

    private Bpf() {
    }

    private static synchronized LibC sys() {
        if (sys == null) {
            sys = LibraryLoader.create(LibC.class).load("c");
            runtime = jnr.ffi.Runtime.getRuntime(sys);
        }
        return sys;
    }

    private static long number() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> 321;
            case "aarch64", "arm64", "riscv64", "loongarch64" -> 280;
            case "ppc64le", "ppc64" -> 361;
            case "s390x" -> 351;
            default -> throw new JctrException(JctrException.Kind.NOT_IMPLEMENTED,
                    "cgroup: bpf(2) on " + System.getProperty("os.arch"));
        };
    }

    /**
     * Replaces the device programs of cgroup {@code dir} by one compiled from {@code insns}:
     * the new one is attached before the old ones are detached, so the cgroup is never without.
     */
    static void installDeviceProgram(Path dir, byte[] insns) {
        LibC s = sys();
        int cgroupFd = s.open(dir.toString(), O_DIRECTORY | O_CLOEXEC);
        if (cgroupFd < 0) {
            throw failure("open " + dir, dir);
        }
        try {
            List<Integer> old = query(cgroupFd, dir);
            int prog = load(insns, dir);
            try {
                Pointer attr = attr();
                attr.putInt(0, cgroupFd);
                attr.putInt(4, prog);
                attr.putInt(8, ATTACH_CGROUP_DEVICE);
                attr.putInt(12, F_ALLOW_MULTI);
                call(PROG_ATTACH, attr, "BPF_PROG_ATTACH", dir);
            } finally {
                s.close(prog);
            }
            for (int id : old) {
                detach(cgroupFd, id, dir);
            }
        } finally {
            s.close(cgroupFd);
        }
    }

    private static int load(byte[] insns, Path dir) {
        Pointer code = Memory.allocateDirect(runtime, insns.length);
        code.put(0, insns, 0, insns.length);
        byte[] license = "Apache-2.0\0".getBytes(StandardCharsets.US_ASCII);
        Pointer lic = Memory.allocateDirect(runtime, license.length);
        lic.put(0, license, 0, license.length);
        Pointer attr = attr();
        attr.putInt(0, PROG_TYPE_CGROUP_DEVICE);
        attr.putInt(4, insns.length / 8);
        attr.putLong(8, code.address());
        attr.putLong(16, lic.address());
        attr.putInt(68, ATTACH_CGROUP_DEVICE);
        long fd = sys.syscall(number(), PROG_LOAD, attr, ATTR_SIZE);
        Reference.reachabilityFence(code);
        Reference.reachabilityFence(lic);
        if (fd >= 0) {
            return (int) fd;
        }
        int errno = runtime.getLastError();
        // Again with the verifier's log, for the message.
        int logSize = 1 << 20;
        Pointer log = Memory.allocateDirect(runtime, logSize);
        attr.putInt(24, 1);
        attr.putInt(28, logSize);
        attr.putLong(32, log.address());
        sys.syscall(number(), PROG_LOAD, attr, ATTR_SIZE);
        Reference.reachabilityFence(code);
        Reference.reachabilityFence(lic);
        String verifier = log.getString(0, logSize, StandardCharsets.UTF_8).strip();
        throw new JctrException(JctrException.Kind.UNKNOWN, String.format(
                "cgroup: loading the device program for %s: %s%s", dir, describe(errno),
                verifier.isEmpty() ? "" : " (verifier: " + verifier + ")"));
    }

    private static List<Integer> query(int cgroupFd, Path dir) {
        int max = 64;
        Pointer ids = Memory.allocateDirect(runtime, 4 * max);
        Pointer attr = attr();
        attr.putInt(0, cgroupFd);
        attr.putInt(4, ATTACH_CGROUP_DEVICE);
        attr.putLong(16, ids.address());
        attr.putInt(24, max);
        call(PROG_QUERY, attr, "BPF_PROG_QUERY", dir);
        Reference.reachabilityFence(ids);
        List<Integer> out = new ArrayList<>();
        for (int i = 0, n = attr.getInt(24); i < n && i < max; i++) {
            out.add(ids.getInt(4L * i));
        }
        return out;
    }

    private static void detach(int cgroupFd, int id, Path dir) {
        Pointer attr = attr();
        attr.putInt(0, id);
        long fd = sys.syscall(number(), PROG_GET_FD_BY_ID, attr, ATTR_SIZE);
        if (fd < 0) {
            return; // already gone
        }
        try {
            Pointer detach = attr();
            detach.putInt(0, cgroupFd);
            detach.putInt(4, (int) fd);
            detach.putInt(8, ATTACH_CGROUP_DEVICE);
            call(PROG_DETACH, detach, "BPF_PROG_DETACH", dir);
        } finally {
            sys.close((int) fd);
        }
    }

    /** How many device programs are attached to {@code dir}. */
    static int attachedDevicePrograms(Path dir) {
        LibC s = sys();
        int fd = s.open(dir.toString(), O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            throw failure("open " + dir, dir);
        }
        try {
            return query(fd, dir).size();
        } finally {
            s.close(fd);
        }
    }

    private static Pointer attr() {
        Pointer attr = Memory.allocateDirect(runtime, ATTR_SIZE);
        attr.setMemory(0, ATTR_SIZE, (byte) 0);
        return attr;
    }

    private static void call(int cmd, Pointer attr, String name, Path dir) {
        if (sys.syscall(number(), cmd, attr, ATTR_SIZE) < 0) {
            throw failure(name, dir);
        }
    }

    private static JctrException failure(String what, Path dir) {
        return new JctrException(JctrException.Kind.UNKNOWN, String.format(
                "cgroup: %s for the device program of %s: %s", what, dir,
                describe(runtime.getLastError())));
    }

    private static String describe(int errno) {
        String text = sys.strerror(errno);
        return text == null ? "errno " + errno : text;
    }
}
