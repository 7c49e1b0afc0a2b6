package io.jctr.plugins.runtime.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A classic BPF program to put in front of libseccomp's filter so that a system call newer than
 * the profile fails with ENOSYS instead of getting the profile's default action. A new libc
 * tries {@code clone3} (or {@code faccessat2}, ...) first and falls back to the older call only
 * on ENOSYS; an EPERM from a profile that predates the call would make it fail instead. runc
 * 1.1 prepends the same kind of check (libcontainer/seccomp/patchbpf): "newer" means a number
 * above the highest one the profile names for that architecture.
 *
 * <p>The program, for each architecture in {@code limits}:
 *
 * <pre>
 *   ld  [4]                        ; seccomp_data.arch
 *   jeq ARCH_i, 0, 1 ; ja SECTION_i
 *   ...
 *   ja  FILTER                     ; an architecture without a limit: libseccomp decides
 * SECTION_i:
 *   ld  [0]                        ; seccomp_data.nr
 *   jeq 0 -> ENOSYS                ; s390 and s390x only (see below)
 *   jset X32_BIT -> X32, PLAIN     ; x86-64 only: the x32 ABI sets bit 30 of the number
 * PLAIN: jgt LIMIT -> ENOSYS, FILTER_i   (or ja FILTER_i when the ABI has no limit)
 * X32:   jgt LIMIT -> ENOSYS, FILTER_i
 * ENOSYS: ret SECCOMP_RET_ERRNO | ENOSYS
 * FILTER_i: ja FILTER
 * </pre>
 *
 * Conditional jumps only ever reach a few instructions ahead (their offsets have 8 bits); the
 * far ones are {@code ja}, whose offset has 32. Jumps are relative and forward, so the program
 * can be put in front of any other one: {@code FILTER} is the instruction after the prefix.
 *
 * <p>s390 and s390x multiplex syscalls above a small number through syscall 0, which the kernel
 * leaves as 0 when it does not know the real one; 0 ({@code setup}, unused for decades) then
 * answers ENOSYS as well, as runc does. Stateless.
 */
final class EnosysPrefix {

    /** AUDIT_ARCH_X86_64, whose filter also sees the x32 ABI's calls. */
    static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    static final int AUDIT_ARCH_S390 = 0x00000016;
    static final int AUDIT_ARCH_S390X = 0x80000016;
    /** __X32_SYSCALL_BIT. */
    static final int X32_SYSCALL_BIT = 0x40000000;
    /** SECCOMP_RET_ERRNO | ENOSYS. */
    static final int RET_ENOSYS = SeccompNames.SCMP_ACT_ERRNO | 38;
    /** No limit for an ABI: its calls go to the filter unchanged. */
    static final long NONE = -1;

    // BPF_LD|BPF_W|BPF_ABS, BPF_JMP|{BPF_JA, BPF_JEQ, BPF_JGT, BPF_JSET}|BPF_K, BPF_RET|BPF_K
    static final int LD_W_ABS = 0x20;
    static final int JA = 0x05;
    static final int JEQ_K = 0x15;
    static final int JGT_K = 0x25;
    static final int JSET_K = 0x45;
    static final int RET_K = 0x06;

    /**
     * The highest syscall number a profile names on one architecture, as the kernel's seccomp
     * data shows it.
     *
     * @param auditArch the AUDIT_ARCH_* value in {@code seccomp_data.arch}
     * @param limit     the highest number of the architecture's own ABI, or {@link #NONE}
     * @param x32Limit  for AUDIT_ARCH_X86_64 only: the highest number of the x32 ABI (with its
     *                  bit 30 set), or {@link #NONE}
     */
    record ArchLimit(int auditArch, long limit, long x32Limit) {
        ArchLimit {
            if (x32Limit != NONE && auditArch != AUDIT_ARCH_X86_64) {
                throw new IllegalArgumentException("an x32 limit on arch 0x" + Integer.toHexString(auditArch));
            }
        }
    }

    private EnosysPrefix() {
    }

    /**
     * The prefix for {@code limits} (one per architecture), in host byte order; empty when there
     * is nothing to check.
     */
    static byte[] program(List<ArchLimit> limits) {
        List<ArchLimit> checked = limits.stream().filter(l -> l.limit() != NONE || l.x32Limit() != NONE).toList();
        if (checked.isEmpty()) {
            return new byte[0];
        }
        Assembler a = new Assembler();
        a.op(LD_W_ABS, 4);
        for (int i = 0; i < checked.size(); i++) {
            a.branch(JEQ_K, checked.get(i).auditArch(), "next-" + i, "skip-" + i);
            a.label("next-" + i);
            a.jump("section-" + i);
            a.label("skip-" + i);
        }
        a.jump("filter");
        for (int i = 0; i < checked.size(); i++) {
            section(a, checked.get(i), i);
        }
        a.label("filter");
        return a.assemble();
    }

    private static void section(Assembler a, ArchLimit l, int i) {
        String enosys = "enosys-" + i;
        String filter = "filter-" + i;
        a.label("section-" + i);
        a.op(LD_W_ABS, 0);
        if (l.auditArch() == AUDIT_ARCH_S390 || l.auditArch() == AUDIT_ARCH_S390X) {
            a.branch(JEQ_K, 0, enosys, "s390-" + i);
            a.label("s390-" + i);
        }
        if (l.auditArch() == AUDIT_ARCH_X86_64) {
            a.branch(JSET_K, X32_SYSCALL_BIT, "x32-" + i, "plain-" + i);
            a.label("plain-" + i);
            limit(a, l.limit(), enosys, filter);
            a.label("x32-" + i);
            limit(a, l.x32Limit(), enosys, filter);
        } else {
            limit(a, l.limit(), enosys, filter);
        }
        a.label(enosys);
        a.op(RET_K, RET_ENOSYS);
        a.label(filter);
        a.jump("filter");
    }

    private static void limit(Assembler a, long limit, String enosys, String filter) {
        if (limit == NONE) {
            a.jump(filter);
        } else {
            a.branch(JGT_K, (int) limit, enosys, filter);
        }
    }

    /** Instructions with symbolic jump targets, resolved once every label is placed. */
    private static final class Assembler {
        private record Insn(int code, int k, String jt, String jf) {
        }

        private final List<Insn> insns = new ArrayList<>();
        private final Map<String, Integer> labels = new HashMap<>();

        void op(int code, int k) {
            insns.add(new Insn(code, k, null, null));
        }

        void branch(int code, int k, String jt, String jf) {
            insns.add(new Insn(code, k, jt, jf));
        }

        void jump(String target) {
            insns.add(new Insn(JA, 0, target, null));
        }

        void label(String name) {
            labels.put(name, insns.size());
        }

        byte[] assemble() {
            ByteBuffer b = ByteBuffer.allocate(insns.size() * SeccompFilter.INSTRUCTION_SIZE)
                    .order(ByteOrder.nativeOrder());
            for (int pc = 0; pc < insns.size(); pc++) {
                Insn in = insns.get(pc);
                if (in.code() == JA) {
                    b.putShort((short) JA).put((byte) 0).put((byte) 0).putInt(offset(pc, in.jt(), Integer.MAX_VALUE));
                } else if (in.jt() != null) {
                    b.putShort((short) in.code()).put((byte) offset(pc, in.jt(), 255))
                            .put((byte) offset(pc, in.jf(), 255)).putInt(in.k());
                } else {
                    b.putShort((short) in.code()).put((byte) 0).put((byte) 0).putInt(in.k());
                }
            }
            return b.array();
        }

        /** Jumps count from the next instruction, and only forwards. */
        private int offset(int pc, String label, int max) {
            int off = labels.get(label) - pc - 1;
            if (off < 0 || off > max) {
                throw new IllegalStateException("jump to " + label + " out of range: " + off);
            }
            return off;
        }
    }
}
