package io.jctr.plugins.runtime.linux.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A test-only interpreter of the classic BPF a seccomp filter uses (loads of {@code seccomp_data},
 * conditional and unconditional jumps with constants, returns), to check a generated program's
 * decisions without a kernel. An instruction it does not know fails the test.
 */
final class ClassicBpf {

    private ClassicBpf() {
    }

    /**
     * Runs {@code program} on a call of {@code nr} on {@code arch}; {@code whenPastEnd} is what a
     * program that falls off its end (a prefix handing over to the filter) returns.
     */
    static int run(byte[] program, int arch, int nr, int whenPastEnd) {
        ByteBuffer b = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        int n = program.length / 8;
        int acc = 0;
        int pc = 0;
        while (pc < n) {
            int code = b.getShort(pc * 8) & 0xffff;
            int jt = b.get(pc * 8 + 2) & 0xff;
            int jf = b.get(pc * 8 + 3) & 0xff;
            int k = b.getInt(pc * 8 + 4);
            pc++;
            switch (code) {
                case EnosysPrefix.LD_W_ABS -> acc = switch (k) {
                    case 0 -> nr;
                    case 4 -> arch;
                    default -> throw new AssertionError("load of seccomp_data offset " + k);
                };
                case EnosysPrefix.JA -> pc += k;
                case EnosysPrefix.JEQ_K -> pc += acc == k ? jt : jf;
                case EnosysPrefix.JGT_K -> pc += Integer.compareUnsigned(acc, k) > 0 ? jt : jf;
                case EnosysPrefix.JSET_K -> pc += (acc & k) != 0 ? jt : jf;
                case EnosysPrefix.RET_K -> {
                    return k;
                }
                default -> throw new AssertionError("instruction 0x" + Integer.toHexString(code) + " at " + (pc - 1));
            }
        }
        if (pc != n) {
            throw new AssertionError("jumped past the end: " + pc + " of " + n);
        }
        return whenPastEnd;
    }
}
