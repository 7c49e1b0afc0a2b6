package io.jctr.plugins.runtime.linux.seccomp;

import io.jctr.plugins.runtime.linux.spec.JsonPath;
import io.jctr.plugins.runtime.linux.spec.Seccomp;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * Compiles {@code linux.seccomp} into a BPF program with libseccomp, the way runc 1.1 builds its
 * filter (libcontainer/seccomp/seccomp_linux.go), but exported instead of loaded: the helper
 * installs it in the container's init. In order:
 *
 * <ol>
 *   <li>{@code seccomp_init(defaultAction)}; SCMP_FLTATR_CTL_NNP and SCMP_FLTATR_CTL_TSYNC off —
 *       they only matter to {@code seccomp_load}, and no_new_privs is the spec's
 *       {@code process.noNewPrivileges}, set by its own step;
 *   <li>the native architecture is always in the filter (libseccomp's default, and runc never
 *       removes it); each listed architecture is added, a repeat of one present is fine;
 *   <li>for each rule and each of its names, in order: a rule whose action equals the default
 *       action is skipped (libseccomp refuses it with EACCES; runc skips it too); a name
 *       {@code seccomp_syscall_resolve_name} does not know is skipped and reported in
 *       {@link SeccompFilter#warnings()} (runc logs it at debug level and goes on); otherwise the
 *       rule is added with its argument conditions in one {@code seccomp_rule_add_array} call,
 *       or, when two conditions test the same argument (which libseccomp cannot AND), with one
 *       call per condition — a rule matching when any one condition holds, runc's behaviour;
 *   <li>binary-tree optimisation (SCMP_FLTATR_CTL_OPTIMIZE 2) above 32 rules, as runc;
 *   <li>{@code seccomp_export_bpf} into a memfd.
 * </ol>
 *
 * <p>The flags are the seccomp(2) bits of {@code flags}, checked against what the kernel supports
 * ({@code seccomp_api_get}); SECCOMP_FILTER_FLAG_TSYNC is accepted and dropped, as runc does.
 *
 * <p>A rule with SCMP_ACT_NOTIFY adds SECCOMP_FILTER_FLAG_NEW_LISTENER: the helper hands the
 * listener descriptor to the seccomp agent at {@code listenerPath}. As runc 1.1, such a rule
 * needs libseccomp API level 6, must not name {@code write} (the init writes the descriptor to
 * its parent under the filter), must not be the default action, and needs a
 * {@code listenerPath}; a {@code listenerPath} without such a rule is ignored, as runc does.
 * SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is refused with {@code NOT_IMPLEMENTED}.
 *
 * <p>As runc, syscalls newer than the profile answer ENOSYS rather than the default action, so
 * that a libc trying a new call (clone3) falls back to the old one: {@link NewestSyscalls}
 * finds where the profile ends on each listed architecture and {@link EnosysPrefix} is put in
 * front of libseccomp's program. The kernel's limit of 4096 instructions applies to the whole.
 *
 * <p>Thread-safe: each call has its own libseccomp context.
 */
public final class SeccompCompiler {

    /** The kernel's limit on a classic BPF program (BPF_MAXINSNS). */
    public static final int MAX_INSTRUCTIONS = 4096;

    private static final String PATH = "linux.seccomp";
    private static final String NOTIFY = "SCMP_ACT_NOTIFY";
    private static final int SCMP_FLTATR_CTL_NNP = 3;
    private static final int SCMP_FLTATR_CTL_TSYNC = 4;
    private static final int SCMP_FLTATR_CTL_OPTIMIZE = 8;
    private static final int NR_SCMP_ERROR = -1;
    private static final int EEXIST = 17;
    private static final int EOPNOTSUPP = 95;
    private static final int MFD_CLOEXEC = 1;
    /** runc: above this many names, libseccomp's binary tree beats its linear list. */
    private static final int OPTIMIZE_ABOVE = 32;

    private SeccompCompiler() {
    }

    /**
     * Compiles {@code seccomp}.
     *
     * @throws SpecException {@code INVALID_ARGUMENT} naming the JSON path of the field
     *                       libseccomp or this compiler rejects, with libseccomp's errno text;
     *                       {@code NOT_IMPLEMENTED} for SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
     *                       {@code FAILED_PRECONDITION} when libseccomp cannot be loaded or the
     *                       kernel lacks a flag
     */
    public static SeccompFilter compile(Seccomp seccomp) {
        long flags = flags(seccomp.flags()) | checkNotify(seccomp);
        int defaultAction = SeccompNames.action(PATH + ".defaultAction", seccomp.defaultAction(),
                seccomp.defaultErrnoRet(), PATH + ".defaultErrnoRet");
        LibSeccomp lib = NativeLibraries.seccomp();
        Pointer ctx = lib.seccomp_init(defaultAction);
        if (ctx == null) {
            throw new SpecException(PATH + ".defaultAction", "libseccomp refuses action "
                    + JsonPath.quote(seccomp.defaultAction()) + " (seccomp_init failed)");
        }
        try {
            check(lib.seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0), PATH, "cannot clear SCMP_FLTATR_CTL_NNP");
            int tsync = lib.seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 0);
            if (tsync != -EOPNOTSUPP) { // a kernel without TSYNC: off all the more
                check(tsync, PATH, "cannot clear SCMP_FLTATR_CTL_TSYNC");
            }
            addArchitectures(lib, ctx, seccomp.architectures());
            List<String> warnings = new ArrayList<>();
            int rules = 0;
            for (int i = 0; i < seccomp.syscalls().size(); i++) {
                rules += addRule(ctx, JsonPath.index(PATH + ".syscalls", i), seccomp.syscalls().get(i),
                        defaultAction, warnings);
            }
            if (rules > OPTIMIZE_ABOVE) {
                // As runc, and not fatal either: only speed is lost. Counted from the rules added,
                // not the names listed, so that a profile whose rules are all skipped never meets
                // libseccomp 2.5.4's bug with a binary tree of no rules.
                lib.seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
            }
            byte[] prefix = EnosysPrefix.program(NewestSyscalls.of(seccomp, defaultAction));
            return new SeccompFilter(flags, withinLimit(concat(prefix, export(lib, ctx))), warnings);
        } finally {
            lib.seccomp_release(ctx);
        }
    }

    /**
     * SECCOMP_FILTER_FLAG_NEW_LISTENER when a rule is SCMP_ACT_NOTIFY, else 0; refuses what runc
     * 1.1 refuses (libcontainer/seccomp/seccomp_linux.go, process_linux.go), with its messages.
     */
    private static long checkNotify(Seccomp seccomp) {
        if (seccomp.defaultAction().equals(NOTIFY)) {
            throw new SpecException(PATH + ".defaultAction", "SCMP_ACT_NOTIFY cannot be used as default action");
        }
        String first = null;
        for (int i = 0; i < seccomp.syscalls().size(); i++) {
            Seccomp.Syscall rule = seccomp.syscalls().get(i);
            if (!rule.action().equals(NOTIFY)) {
                continue;
            }
            String path = JsonPath.index(PATH + ".syscalls", i);
            first = first == null ? path : first;
            int write = rule.names().indexOf("write");
            if (write >= 0) {
                // The init passes the listener to its parent under the filter: nobody would
                // answer a notified write.
                throw new SpecException(JsonPath.index(path + ".names", write),
                        "SCMP_ACT_NOTIFY cannot be used for the write syscall");
            }
        }
        if (first == null) {
            return 0;
        }
        if (seccomp.listenerPath().isEmpty()) {
            throw new SpecException(PATH + ".listenerPath", "listenerPath is not set, and "
                    + first + ".action is SCMP_ACT_NOTIFY");
        }
        int api = NativeLibraries.seccomp().seccomp_api_get();
        if (api < 6) {
            throw new SpecException(JctrException.Kind.FAILED_PRECONDITION, first + ".action",
                    "seccomp notify unsupported: API level: got " + api + ", want at least 6");
        }
        return SeccompFilter.NEW_LISTENER;
    }

    /** The version of the libseccomp in use, {@code major.minor.micro}. */
    public static String libraryVersion() {
        return NativeLibraries.version();
    }

    private static long flags(List<String> names) {
        long flags = 0;
        for (int i = 0; i < names.size(); i++) {
            String path = JsonPath.index(PATH + ".flags", i);
            long flag = SeccompNames.flag(path, names.get(i));
            int needed = flag == SeccompNames.SECCOMP_FILTER_FLAG_LOG ? 3
                    : flag == SeccompNames.SECCOMP_FILTER_FLAG_SPEC_ALLOW ? 4 : 0;
            int api = needed == 0 ? 0 : NativeLibraries.seccomp().seccomp_api_get();
            if (api < needed) {
                throw new SpecException(JctrException.Kind.FAILED_PRECONDITION, path, names.get(i)
                        + " is not supported by this kernel and libseccomp (API level " + api + ")");
            }
            flags |= flag;
        }
        return flags;
    }

    private static void addArchitectures(LibSeccomp lib, Pointer ctx, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            String path = JsonPath.index(PATH + ".architectures", i);
            int token = lib.seccomp_arch_resolve_name(SeccompNames.architecture(path, names.get(i)));
            if (token == 0) {
                throw new SpecException(path, "unknown architecture " + JsonPath.quote(names.get(i)));
            }
            int rc = lib.seccomp_arch_add(ctx, token);
            if (rc != -EEXIST) {
                check(rc, path, "cannot add architecture " + JsonPath.quote(names.get(i)));
            }
        }
    }

    /** Adds the rule for each of its names; the number of libseccomp rules added. */
    private static int addRule(Pointer ctx, String path, Seccomp.Syscall rule, int defaultAction,
            List<String> warnings) {
        int action = SeccompNames.action(path + ".action", rule.action(), rule.errnoRet(), path + ".errnoRet");
        List<ArgumentConditions.Condition> conditions = ArgumentConditions.of(path + ".args", rule.args());
        if (rule.names().isEmpty()) {
            throw new SpecException(path + ".names", "must have at least one entry");
        }
        if (action == defaultAction) {
            return 0;
        }
        LibSeccomp lib = NativeLibraries.seccomp();
        int added = 0;
        for (int j = 0; j < rule.names().size(); j++) {
            String namePath = JsonPath.index(path + ".names", j);
            String name = rule.names().get(j);
            if (name.isEmpty()) {
                throw new SpecException(namePath, "must not be empty");
            }
            int nr = lib.seccomp_syscall_resolve_name(name);
            if (nr == NR_SCMP_ERROR) {
                warnings.add(namePath + ": syscall " + JsonPath.quote(name) + " is unknown to libseccomp "
                        + NativeLibraries.version() + "; left out of the filter");
                continue;
            }
            if (ArgumentConditions.sameArgumentTwice(conditions)) {
                for (ArgumentConditions.Condition c : conditions) {
                    checkRule(ArgumentConditions.add(lib, ctx, action, nr, List.of(c)), namePath, name);
                    added++;
                }
            } else {
                checkRule(ArgumentConditions.add(lib, ctx, action, nr, conditions), namePath, name);
                added++;
            }
        }
        return added;
    }

    private static void checkRule(int rc, String path, String name) {
        String what = "cannot add a rule for " + JsonPath.quote(name);
        if (rc == -EEXIST) {
            throw new SpecException(path, what + ": an earlier rule has the same conditions and "
                    + "another action (" + NativeLibraries.libc().strerror(EEXIST) + ")");
        }
        check(rc, path, what);
    }

    private static byte[] export(LibSeccomp lib, Pointer ctx) {
        LibC libc = NativeLibraries.libc();
        // A memfd rather than a pipe: the program can exceed a pipe's buffer, and nothing
        // would read the other end while libseccomp writes.
        int fd = libc.memfd_create("jctr-seccomp", MFD_CLOEXEC);
        if (fd < 0) {
            int errno = NativeLibraries.runtime().getLastError();
            throw new SpecException(JctrException.Kind.UNKNOWN, PATH, "memfd_create: " + libc.strerror(errno));
        }
        byte[] bpf;
        try {
            check(lib.seccomp_export_bpf(ctx, fd), PATH, "cannot export the filter");
            bpf = Files.readAllBytes(Path.of("/proc/self/fd/" + fd));
        } catch (IOException e) {
            throw new SpecException(JctrException.Kind.UNKNOWN, PATH, "cannot read the exported filter: " + e.getMessage());
        } finally {
            libc.close(fd);
        }
        if (bpf.length == 0 || bpf.length % SeccompFilter.INSTRUCTION_SIZE != 0) {
            throw new SpecException(JctrException.Kind.UNKNOWN, PATH, "libseccomp exported "
                    + bpf.length + " bytes, not a whole number of BPF instructions");
        }
        return bpf;
    }

    private static byte[] concat(byte[] prefix, byte[] filter) {
        byte[] out = new byte[prefix.length + filter.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(filter, 0, out, prefix.length, filter.length);
        return out;
    }

    private static byte[] withinLimit(byte[] bpf) {
        int instructions = bpf.length / SeccompFilter.INSTRUCTION_SIZE;
        if (instructions > MAX_INSTRUCTIONS) {
            throw new SpecException(PATH, "compiles to " + instructions
                    + " BPF instructions, more than the kernel's limit of " + MAX_INSTRUCTIONS);
        }
        return bpf;
    }

    /** Throws unless {@code rc}, a libseccomp result, is 0. */
    static void check(int rc, String path, String what) {
        if (rc != 0) {
            throw new SpecException(path, what + ": " + NativeLibraries.libc().strerror(-rc));
        }
    }
}
