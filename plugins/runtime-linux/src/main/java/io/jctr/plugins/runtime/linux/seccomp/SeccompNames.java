package io.jctr.plugins.runtime.linux.seccomp;

import io.jctr.plugins.runtime.linux.spec.JsonPath;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import io.jctr.spi.JctrException;
import java.util.Locale;
import java.util.Map;

/**
 * The spec's libseccomp names as the numbers of {@code seccomp.h} (libseccomp 2.5) and of the
 * kernel's {@code linux/seccomp.h}.
 */
final class SeccompNames {

    static final int SCMP_ACT_KILL_PROCESS = 0x80000000;
    static final int SCMP_ACT_KILL_THREAD = 0x00000000;
    static final int SCMP_ACT_TRAP = 0x00030000;
    static final int SCMP_ACT_ERRNO = 0x00050000;
    static final int SCMP_ACT_TRACE = 0x7ff00000;
    static final int SCMP_ACT_LOG = 0x7ffc0000;
    static final int SCMP_ACT_ALLOW = 0x7fff0000;
    static final int SCMP_ACT_NOTIFY = 0x7fc00000;

    /** The errno of an errno-returning action without errnoRet (runc's choice). */
    static final int EPERM = 1;

    /** {@code enum scmp_compare}. */
    private static final Map<String, Integer> OPERATORS = Map.of("SCMP_CMP_NE", 1,
            "SCMP_CMP_LT", 2, "SCMP_CMP_LE", 3, "SCMP_CMP_EQ", 4, "SCMP_CMP_GE", 5,
            "SCMP_CMP_GT", 6, "SCMP_CMP_MASKED_EQ", 7);

    static final long SECCOMP_FILTER_FLAG_LOG = 1L << 1;
    static final long SECCOMP_FILTER_FLAG_SPEC_ALLOW = 1L << 2;

    private static final String ARCH_PREFIX = "SCMP_ARCH_";

    private SeccompNames() {
    }

    /**
     * The {@code uint32_t} action for {@code name}; {@code errnoRet} (at {@code errnoPath}) is
     * the errno of SCMP_ACT_ERRNO and SCMP_ACT_TRACE, EPERM when {@code null}, and must be
     * {@code null} for other actions.
     */
    static int action(String path, String name, Long errnoRet, String errnoPath) {
        int action = switch (name) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> SCMP_ACT_KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> SCMP_ACT_KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> SCMP_ACT_TRAP;
            case "SCMP_ACT_ERRNO" -> SCMP_ACT_ERRNO | errno(errnoRet, errnoPath);
            case "SCMP_ACT_TRACE" -> SCMP_ACT_TRACE | errno(errnoRet, errnoPath);
            case "SCMP_ACT_LOG" -> SCMP_ACT_LOG;
            case "SCMP_ACT_ALLOW" -> SCMP_ACT_ALLOW;
            case "SCMP_ACT_NOTIFY" -> SCMP_ACT_NOTIFY;
            default -> throw new SpecException(path, "unknown action " + JsonPath.quote(name));
        };
        if (errnoRet != null && !name.equals("SCMP_ACT_ERRNO") && !name.equals("SCMP_ACT_TRACE")) {
            // Runtime spec: a runtime MUST fail when errnoRet is set for any other action.
            throw new SpecException(errnoPath, "is not used by action " + JsonPath.quote(name));
        }
        return action;
    }

    private static int errno(Long errnoRet, String path) {
        if (errnoRet == null) {
            return EPERM;
        }
        // SECCOMP_RET_DATA has 16 bits; runc truncates silently, which can turn an errno into
        // 0, a syscall that "succeeds" without running.
        if (errnoRet < 0 || errnoRet > 0xffff) {
            throw new SpecException(path, errnoRet + " does not fit the 16 bits of SECCOMP_RET_DATA");
        }
        return errnoRet.intValue();
    }

    /** The {@code enum scmp_compare} value of {@code name}. */
    static int operator(String path, String name) {
        Integer op = OPERATORS.get(name);
        if (op == null) {
            throw new SpecException(path, "unknown operator " + JsonPath.quote(name));
        }
        return op;
    }

    /**
     * The name libseccomp's {@code seccomp_arch_resolve_name} takes for an {@code SCMP_ARCH_*}
     * name: {@code SCMP_ARCH_X86_64} is {@code x86_64}.
     */
    static String architecture(String path, String name) {
        if (!name.startsWith(ARCH_PREFIX) || name.length() == ARCH_PREFIX.length()) {
            throw new SpecException(path, "unknown architecture " + JsonPath.quote(name));
        }
        return name.substring(ARCH_PREFIX.length()).toLowerCase(Locale.ROOT);
    }

    /**
     * The seccomp(2) flag bit of {@code name}; 0 for SECCOMP_FILTER_FLAG_TSYNC, which the helper,
     * single-threaded, has no use for (runc ignores it too).
     */
    static long flag(String path, String name) {
        return switch (name) {
            case "SECCOMP_FILTER_FLAG_TSYNC" -> 0;
            case "SECCOMP_FILTER_FLAG_LOG" -> SECCOMP_FILTER_FLAG_LOG;
            case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> SECCOMP_FILTER_FLAG_SPEC_ALLOW;
            // Linux 5.19; runc 1.1 does not know it either.
            case "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" -> throw new SpecException(
                    JctrException.Kind.NOT_IMPLEMENTED, path, name + " is not supported");
            default -> throw new SpecException(path, "unknown seccomp flag " + JsonPath.quote(name));
        };
    }
}
