package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.plugins.runtime.linux.spec.Resources;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles device rules into a {@code BPF_PROG_TYPE_CGROUP_DEVICE} program, cgroup v2's
 * replacement for {@code devices.allow}/{@code devices.deny}. The program reads
 * {@code struct bpf_cgroup_dev_ctx} (access_type = access << 16 | type, major, minor) and checks
 * the rules from last to first: the last rule that matches decides, as replaying them into v1's
 * files would; no match denies. An allow rule matches when it grants every requested access, a
 * deny rule when it refuses any of them. Stateless.
 */
final class DeviceFilter {

    // struct bpf_cgroup_dev_ctx and include/uapi/linux/bpf.h's BPF_DEVCG_* values
    private static final int DEV_BLOCK = 1;
    private static final int DEV_CHAR = 2;
    private static final int ACC_MKNOD = 1;
    private static final int ACC_READ = 2;
    private static final int ACC_WRITE = 4;
    private static final int ACC_ALL = ACC_MKNOD | ACC_READ | ACC_WRITE;

    // eBPF opcodes (Documentation/bpf/standardization/instruction-set.rst)
    private static final int LDX_W = 0x61;      // BPF_LDX | BPF_MEM | BPF_W
    private static final int AND32_K = 0x54;    // BPF_ALU | BPF_AND | BPF_K
    private static final int RSH32_K = 0x74;    // BPF_ALU | BPF_RSH | BPF_K
    private static final int MOV32_X = 0xbc;    // BPF_ALU | BPF_MOV | BPF_X
    private static final int MOV32_K = 0xb4;    // BPF_ALU | BPF_MOV | BPF_K
    private static final int JNE_K = 0x55;      // BPF_JMP | BPF_JNE | BPF_K
    private static final int JEQ_K = 0x15;      // BPF_JMP | BPF_JEQ | BPF_K
    private static final int EXIT = 0x95;       // BPF_JMP | BPF_EXIT

    private static final int R0 = 0;
    private static final int R1 = 1;
    private static final int TYPE = 2;
    private static final int ACCESS = 3;
    private static final int MAJOR = 4;
    private static final int MINOR = 5;

    /** One instruction; {@code off} of a jump to the end of its block is set later. */
    private record Insn(int code, int dst, int src, int off, int imm, boolean toBlockEnd) {
    }

    private DeviceFilter() {
    }

    /** The program's instructions, 8 bytes each, in the host's byte order. */
    static byte[] compile(List<Resources.DeviceRule> rules) {
        List<Insn> prog = new ArrayList<>();
        prog.add(op(LDX_W, TYPE, R1, 0, 0));
        prog.add(op(AND32_K, TYPE, 0, 0, 0xffff));
        prog.add(op(LDX_W, ACCESS, R1, 0, 0));
        prog.add(op(RSH32_K, ACCESS, 0, 0, 16));
        prog.add(op(LDX_W, MAJOR, R1, 4, 0));
        prog.add(op(LDX_W, MINOR, R1, 8, 0));
        boolean decided = false;
        for (int i = rules.size() - 1; i >= 0 && !decided; i--) {
            prog.addAll(block(rules.get(i)));
            // A rule for every device always decides; the verifier rejects code after it.
            decided = isAll(rules.get(i));
        }
        if (!decided) {
            prog.add(op(MOV32_K, R0, 0, 0, 0));
            prog.add(op(EXIT, 0, 0, 0, 0));
        }
        ByteBuffer out = ByteBuffer.allocate(prog.size() * 8).order(ByteOrder.nativeOrder());
        for (Insn in : prog) {
            out.put((byte) in.code());
            out.put((byte) ((in.src() << 4) | in.dst()));
            out.putShort((short) in.off());
            out.putInt(in.imm());
        }
        return out.array();
    }

    /** The checks of one rule: each mismatch jumps past the block; a match returns. */
    private static List<Insn> block(Resources.DeviceRule rule) {
        List<Insn> b = new ArrayList<>();
        if (!isAll(rule)) {
            b.add(skip(JNE_K, TYPE, rule.type().equals("b") ? DEV_BLOCK : DEV_CHAR));
            int access = access(rule.permissions());
            if (rule.allow() && access != ACC_ALL) {
                // requested & ~granted must be 0
                b.add(op(MOV32_X, R1, ACCESS, 0, 0));
                b.add(op(AND32_K, R1, 0, 0, ~access & ACC_ALL));
                b.add(skip(JNE_K, R1, 0));
            } else if (!rule.allow() && access != ACC_ALL) {
                // requested & refused must not be 0
                b.add(op(MOV32_X, R1, ACCESS, 0, 0));
                b.add(op(AND32_K, R1, 0, 0, access));
                b.add(skip(JEQ_K, R1, 0));
            }
            if (rule.major() != null && rule.major() >= 0) {
                b.add(skip(JNE_K, MAJOR, rule.major().intValue()));
            }
            if (rule.minor() != null && rule.minor() >= 0) {
                b.add(skip(JNE_K, MINOR, rule.minor().intValue()));
            }
        }
        b.add(op(MOV32_K, R0, 0, 0, rule.allow() ? 1 : 0));
        b.add(op(EXIT, 0, 0, 0, 0));
        List<Insn> out = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            Insn in = b.get(i);
            out.add(in.toBlockEnd() ? op(in.code(), in.dst(), 0, b.size() - i - 1, in.imm()) : in);
        }
        return out;
    }

    private static boolean isAll(Resources.DeviceRule rule) {
        return rule.type().isEmpty() || rule.type().equals("a");
    }

    private static int access(String access) {
        if (access.isEmpty()) {
            return ACC_ALL;
        }
        int a = 0;
        for (char c : access.toCharArray()) {
            a |= c == 'r' ? ACC_READ : c == 'w' ? ACC_WRITE : ACC_MKNOD;
        }
        return a;
    }

    private static Insn op(int code, int dst, int src, int off, int imm) {
        return new Insn(code, dst, src, off, imm, false);
    }

    private static Insn skip(int code, int dst, int imm) {
        return new Insn(code, dst, 0, 0, imm, true);
    }
}
