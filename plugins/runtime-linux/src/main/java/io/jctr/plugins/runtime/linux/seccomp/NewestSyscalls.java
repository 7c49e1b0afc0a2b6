package io.jctr.plugins.runtime.linux.seccomp;

import io.jctr.plugins.runtime.linux.spec.Seccomp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a profile ends: for each architecture it lists, the highest syscall number it names,
 * by runc 1.1's rules (libcontainer/seccomp/patchbpf), so that {@link EnosysPrefix} answers
 * ENOSYS above it.
 *
 * <ul>
 *   <li>Only when the default action refuses: not for SCMP_ACT_ALLOW, SCMP_ACT_LOG or
 *       SCMP_ACT_TRACE (a tracer handles new calls itself), and not for SCMP_ACT_ERRNO(ENOSYS),
 *       which already answers ENOSYS.
 *   <li>Only the architectures in {@code architectures}; a profile without any gets no prefix
 *       (runc's choice: the native architecture is in the filter, but not in its limits).
 *   <li>Every name of every rule counts, whatever its action (also rules left out of the filter
 *       because their action is the default one), resolved by libseccomp for that architecture;
 *       a name libseccomp does not know there, or knows only as another architecture's call (a
 *       negative pseudo number), does not; nor does number 0. So a syscall newer than the libseccomp in use is
 *       above the limit even if the profile names it.
 *   <li>An architecture none of whose names resolve gets no limit: the filter decides.
 * </ul>
 */
final class NewestSyscalls {

    /** libseccomp's token for SCMP_ARCH_X32: AUDIT_ARCH_X86_64 without __AUDIT_ARCH_64BIT. */
    static final int SCMP_ARCH_X32 = 0x4000003e;

    private NewestSyscalls() {
    }

    /** Whether a filter with {@code defaultAction} gets the ENOSYS prefix at all. */
    static boolean refusesByDefault(int defaultAction) {
        int action = defaultAction & 0xffff0000;
        return action != SeccompNames.SCMP_ACT_ALLOW && action != SeccompNames.SCMP_ACT_LOG
                && action != SeccompNames.SCMP_ACT_TRACE
                && defaultAction != EnosysPrefix.RET_ENOSYS;
    }

    /**
     * The limits of {@code seccomp}, whose architectures were checked already (each has a
     * libseccomp token).
     */
    static List<EnosysPrefix.ArchLimit> of(Seccomp seccomp, int defaultAction) {
        if (!refusesByDefault(defaultAction)) {
            return List.of();
        }
        LibSeccomp lib = NativeLibraries.seccomp();
        // AUDIT_ARCH -> {own ABI's limit, x32's limit}, in the order the profile lists them
        Map<Integer, long[]> byArch = new LinkedHashMap<>();
        for (String name : seccomp.architectures()) {
            int token = lib.seccomp_arch_resolve_name(SeccompNames.architecture("linux.seccomp.architectures", name));
            long highest = highest(lib, token, seccomp.syscalls());
            if (token == 0 || highest == EnosysPrefix.NONE) {
                continue;
            }
            boolean x32 = token == SCMP_ARCH_X32;
            long[] limits = byArch.computeIfAbsent(x32 ? EnosysPrefix.AUDIT_ARCH_X86_64 : token,
                    k -> new long[] {EnosysPrefix.NONE, EnosysPrefix.NONE});
            limits[x32 ? 1 : 0] = highest;
        }
        List<EnosysPrefix.ArchLimit> out = new ArrayList<>();
        byArch.forEach((arch, l) -> out.add(new EnosysPrefix.ArchLimit(arch, l[0], l[1])));
        return out;
    }

    private static long highest(LibSeccomp lib, int token, List<Seccomp.Syscall> rules) {
        long highest = EnosysPrefix.NONE;
        for (Seccomp.Syscall rule : rules) {
            for (String name : rule.names()) {
                int nr = lib.seccomp_syscall_resolve_name_arch(token, name);
                // 0 never counts (runc: "no syscalls found"), so a profile naming only
                // x86-64's read does not turn every other call into ENOSYS.
                if (nr > 0 && nr > highest) {
                    highest = nr;
                }
            }
        }
        return highest;
    }
}
