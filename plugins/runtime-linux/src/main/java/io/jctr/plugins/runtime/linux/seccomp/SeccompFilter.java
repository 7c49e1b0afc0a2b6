package io.jctr.plugins.runtime.linux.seccomp;

import java.util.Arrays;
import java.util.List;

/**
 * A compiled seccomp filter, ready for {@code seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog)}.
 *
 * @param flags   the {@code SECCOMP_FILTER_FLAG_*} bits to pass to seccomp(2)
 * @param bpf     the program: {@code struct sock_filter[]} (8 bytes per instruction: u16 code,
 *                u8 jt, u8 jf, u32 k) in host byte order, as {@code seccomp_export_bpf} writes it,
 *                after the ENOSYS prefix when there is one ({@link EnosysPrefix}); at least one
 *                instruction. Copied in and out
 * @param warnings what the filter leaves out: syscall names libseccomp does not know (as runc,
 *                 which logs them at debug level), each naming its JSON path; for the runtime to
 *                 report
 */
public record SeccompFilter(long flags, byte[] bpf, List<String> warnings) {

    /**
     * SECCOMP_FILTER_FLAG_NEW_LISTENER: set when a rule is SCMP_ACT_NOTIFY; seccomp(2) then
     * returns the listener descriptor that the seccomp agent ({@code listenerPath}) receives.
     */
    public static final long NEW_LISTENER = 1L << 3;

    /** The size of one {@code struct sock_filter}. */
    public static final int INSTRUCTION_SIZE = 8;

    /** Copies the program and the list. */
    public SeccompFilter {
        bpf = bpf.clone();
        warnings = List.copyOf(warnings);
    }

    /** A copy of the program. */
    @Override
    public byte[] bpf() {
        return bpf.clone();
    }

    /** Whether the filter notifies a seccomp agent (SCMP_ACT_NOTIFY). */
    public boolean notifies() {
        return (flags & NEW_LISTENER) != 0;
    }

    /** The number of BPF instructions. */
    public int instructions() {
        return bpf.length / INSTRUCTION_SIZE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeccompFilter f && flags == f.flags && Arrays.equals(bpf, f.bpf)
                && warnings.equals(f.warnings);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(flags) * 31 + Arrays.hashCode(bpf)) * 31 + warnings.hashCode();
    }

    @Override
    public String toString() {
        return "SeccompFilter[flags=0x" + Long.toHexString(flags) + ", instructions=" + instructions()
                + ", warnings=" + warnings + "]";
    }
}
