package io.jctr.plugins.runtime.linux.seccomp;

import static io.jctr.plugins.runtime.linux.seccomp.EnosysPrefix.AUDIT_ARCH_X86_64;
import static io.jctr.plugins.runtime.linux.seccomp.EnosysPrefix.NONE;
import static io.jctr.plugins.runtime.linux.seccomp.EnosysPrefix.RET_ENOSYS;
import static io.jctr.plugins.runtime.linux.seccomp.EnosysPrefix.X32_SYSCALL_BIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.plugins.runtime.linux.seccomp.EnosysPrefix.ArchLimit;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated prefix, run by {@link ClassicBpf} in front of a filter that answers FILTER. */
class EnosysPrefixTest {

    /** What the (imaginary) libseccomp filter after the prefix answers. */
    private static final int FILTER = 0x7fff1234;
    private static final int AUDIT_ARCH_I386 = 0x40000003;
    private static final int AUDIT_ARCH_AARCH64 = 0xc00000b7;

    @Test
    void aboveTheLimitIsEnosysAndUpToItTheFilterDecides() {
        byte[] p = EnosysPrefix.program(List.of(new ArchLimit(AUDIT_ARCH_X86_64, 334, NONE)));

        assertEquals(FILTER, run(p, AUDIT_ARCH_X86_64, 0));
        assertEquals(FILTER, run(p, AUDIT_ARCH_X86_64, 334));
        assertEquals(RET_ENOSYS, run(p, AUDIT_ARCH_X86_64, 335));
        assertEquals(RET_ENOSYS, run(p, AUDIT_ARCH_X86_64, 435)); // clone3
        assertEquals(RET_ENOSYS, run(p, AUDIT_ARCH_X86_64, 0x80000000)); // compared unsigned, as the kernel does
        // x32 calls are not in the limit of a profile that does not list SCMP_ARCH_X32
        assertEquals(FILTER, run(p, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT | 1000));
        // nor is any other architecture
        assertEquals(FILTER, run(p, AUDIT_ARCH_I386, 1000));
    }

    @Test
    void x32AndX8664HaveLimitsOfTheirOwn() {
        byte[] both = EnosysPrefix.program(List.of(new ArchLimit(AUDIT_ARCH_X86_64, 300, X32_SYSCALL_BIT | 500)));
        assertEquals(FILTER, run(both, AUDIT_ARCH_X86_64, 300));
        assertEquals(RET_ENOSYS, run(both, AUDIT_ARCH_X86_64, 301));
        assertEquals(FILTER, run(both, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT | 500));
        assertEquals(RET_ENOSYS, run(both, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT | 501));

        byte[] x32Only = EnosysPrefix.program(List.of(new ArchLimit(AUDIT_ARCH_X86_64, NONE, X32_SYSCALL_BIT | 500)));
        assertEquals(FILTER, run(x32Only, AUDIT_ARCH_X86_64, 1000));
        assertEquals(RET_ENOSYS, run(x32Only, AUDIT_ARCH_X86_64, X32_SYSCALL_BIT | 501));
    }

    @Test
    void eachArchitectureHasItsOwnLimit() {
        byte[] p = EnosysPrefix.program(List.of(new ArchLimit(AUDIT_ARCH_I386, 440, NONE),
                new ArchLimit(AUDIT_ARCH_X86_64, 334, NONE), new ArchLimit(AUDIT_ARCH_AARCH64, 293, NONE)));

        assertEquals(FILTER, run(p, AUDIT_ARCH_I386, 440));
        assertEquals(RET_ENOSYS, run(p, AUDIT_ARCH_I386, 441));
        assertEquals(FILTER, run(p, AUDIT_ARCH_X86_64, 334));
        assertEquals(RET_ENOSYS, run(p, AUDIT_ARCH_X86_64, 335));
        assertEquals(FILTER, run(p, AUDIT_ARCH_AARCH64, 293));
        assertEquals(RET_ENOSYS, run(p, AUDIT_ARCH_AARCH64, 294));
        assertEquals(FILTER, run(p, 0x40000028, 5000)); // ARM: not listed
    }

    @Test
    void s390sMultiplexedZeroIsEnosys() {
        byte[] p = EnosysPrefix.program(List.of(new ArchLimit(EnosysPrefix.AUDIT_ARCH_S390X, 400, NONE)));

        assertEquals(RET_ENOSYS, run(p, EnosysPrefix.AUDIT_ARCH_S390X, 0));
        assertEquals(FILTER, run(p, EnosysPrefix.AUDIT_ARCH_S390X, 1));
        assertEquals(RET_ENOSYS, run(p, EnosysPrefix.AUDIT_ARCH_S390X, 401));
    }

    @Test
    void nothingToCheckIsNoPrefix() {
        assertEquals(0, EnosysPrefix.program(List.of()).length);
        assertEquals(0, EnosysPrefix.program(List.of(new ArchLimit(AUDIT_ARCH_I386, NONE, NONE))).length);
        assertThrows(IllegalArgumentException.class, () -> new ArchLimit(AUDIT_ARCH_I386, 1, 2));
    }

    @Test
    void conditionalJumpsStayShortWithManyArchitectures() {
        // 8-bit offsets: the dispatch goes through ja, so even 40 sections assemble
        List<ArchLimit> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(new ArchLimit(0x1000 + i, 100 + i, NONE));
        }
        byte[] p = EnosysPrefix.program(many);
        assertEquals(FILTER, run(p, 0x1000 + 39, 139));
        assertEquals(RET_ENOSYS, run(p, 0x1000 + 39, 140));
        assertEquals(FILTER, run(p, 0x2000, 140));
    }

    /** The prefix, then a one-instruction filter returning FILTER. */
    private static int run(byte[] prefix, int arch, int nr) {
        byte[] program = ByteBuffer.allocate(prefix.length + 8).order(ByteOrder.nativeOrder()).put(prefix)
                .putShort((short) EnosysPrefix.RET_K).put((byte) 0).put((byte) 0).putInt(FILTER).array();
        return ClassicBpf.run(program, arch, nr, 0);
    }
}
