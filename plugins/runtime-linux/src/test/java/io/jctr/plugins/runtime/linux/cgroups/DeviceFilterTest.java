package io.jctr.plugins.runtime.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.plugins.runtime.linux.spec.Resources;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The device program's decisions, run by a small interpreter of the instructions it uses (the
 * kernel's verifier and the real effect are covered by {@link UnifiedCgroupTest}).
 */
class DeviceFilterTest {

    private static final int BLOCK = 1;
    private static final int CHAR = 2;
    private static final int MKNOD = 1;
    private static final int READ = 2;
    private static final int WRITE = 4;

    private static Resources.DeviceRule rule(boolean allow, String type, Long major, Long minor,
            String access) {
        return new Resources.DeviceRule(allow, type, major, minor, access);
    }

    /** Runs the program on {@code struct bpf_cgroup_dev_ctx}; returns r0. */
    static int run(byte[] prog, int type, int access, int major, int minor) {
        ByteBuffer b = ByteBuffer.wrap(prog).order(ByteOrder.nativeOrder());
        int[] ctx = {access << 16 | type, major, minor};
        long[] r = new long[11];
        int pc = 0;
        for (int steps = 0; steps < 10_000; steps++) {
            int code = b.get(pc * 8) & 0xff;
            int regs = b.get(pc * 8 + 1) & 0xff;
            int dst = regs & 0xf;
            int src = regs >> 4;
            short off = b.getShort(pc * 8 + 2);
            int imm = b.getInt(pc * 8 + 4);
            pc++;
            switch (code) {
                case 0x61 -> r[dst] = ctx[off / 4] & 0xffffffffL; // ctx is r1 in this program
                case 0x54 -> r[dst] = (r[dst] & imm) & 0xffffffffL;
                case 0x74 -> r[dst] = (r[dst] & 0xffffffffL) >>> imm;
                case 0xbc -> r[dst] = r[src] & 0xffffffffL;
                case 0xb4 -> r[dst] = imm & 0xffffffffL;
                case 0x55 -> pc += r[dst] != (imm & 0xffffffffL) ? off : 0;
                case 0x15 -> pc += r[dst] == (imm & 0xffffffffL) ? off : 0;
                case 0x95 -> {
                    return (int) r[0];
                }
                default -> throw new AssertionError("opcode " + Integer.toHexString(code));
            }
        }
        throw new AssertionError("no exit");
    }

    @Test
    void denyAllThenAllowDevNull() {
        byte[] p = DeviceFilter.compile(List.of(rule(false, "", null, null, "rwm"),
                rule(true, "c", 1L, 3L, "rwm")));
        assertEquals(1, run(p, CHAR, READ | WRITE, 1, 3));
        assertEquals(0, run(p, CHAR, READ, 1, 5));
        assertEquals(0, run(p, BLOCK, READ, 1, 3));
    }

    @Test
    void noRulesDenyEverything() {
        assertEquals(0, run(DeviceFilter.compile(List.of()), CHAR, READ, 1, 3));
    }

    @Test
    void lastMatchingRuleWins() {
        byte[] p = DeviceFilter.compile(List.of(rule(true, "a", null, null, "rwm"),
                rule(false, "c", 1L, null, "w")));
        assertEquals(1, run(p, CHAR, READ, 1, 3));
        assertEquals(0, run(p, CHAR, WRITE, 1, 3));
        assertEquals(0, run(p, CHAR, READ | WRITE, 1, 7), "a deny matches any refused access");
        assertEquals(1, run(p, BLOCK, WRITE, 8, 0));
    }

    @Test
    void anAllowMustGrantEveryRequestedAccess() {
        byte[] p = DeviceFilter.compile(List.of(rule(true, "c", null, null, "m"),
                rule(true, "c", 136L, null, "rw")));
        assertEquals(1, run(p, CHAR, MKNOD, 5, 1));
        assertEquals(1, run(p, CHAR, READ | WRITE, 136, 0));
        assertEquals(0, run(p, CHAR, READ | MKNOD, 136, 0));
        assertEquals(0, run(p, CHAR, READ, 5, 1));
    }

    @Test
    void lettersBesidesRwmGrantNothing() {
        // "rwa" is "rw" (runc's reading): the "a" must not become mknod
        byte[] p = DeviceFilter.compile(List.of(rule(true, "c", 1L, 11L, "rwa")));
        assertEquals(1, run(p, CHAR, READ | WRITE, 1, 11));
        assertEquals(0, run(p, CHAR, MKNOD, 1, 11));
    }

    @Test
    void everyInstructionIsEightBytes() {
        assertTrue(DeviceFilter.compile(List.of()).length % 8 == 0);
    }
}
