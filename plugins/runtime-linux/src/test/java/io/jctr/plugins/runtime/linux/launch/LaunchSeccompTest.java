package io.jctr.plugins.runtime.linux.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.IdentityStep;
import io.jctr.plugins.runtime.linux.plan.LaunchPlan;
import io.jctr.plugins.runtime.linux.plan.PlanEncoder;
import io.jctr.plugins.runtime.linux.plan.PlanWriter;
import io.jctr.plugins.runtime.linux.plan.Step;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SetSeccomp (0x050a, flags:i64 filter:blob) with hand-written BPF: the
 * record is written here by hand, before the Exec.
 */
class LaunchSeccompTest extends ContainerTestBase {

    private static final int SET_SECCOMP = 0x050a;

    @Test
    void theFilterIsLoadedBeforeTheExec() throws Exception {
        ObjectNode spec = spec("sh", "-c", "mkdir /tmp/made || echo refused; echo still running");
        ((ObjectNode) spec.get("root")).put("readonly", false);
        LaunchPlan plan = plan(spec);
        Launched l = launch(request(withFilterBeforeExec(plan, denyMkdir()), true), LaunchListener.NONE);
        start();
        assertEquals(0, l.waitFor(), this::stderr);
        assertEquals("refused\nstill running\n", stdout());
        assertTrue(stderr().contains("Operation not permitted"), stderr());
    }

    @Test
    void aFilterThatRefusesCloseRangeStillLeavesNoDescriptorOpen() throws Exception {
        // A profile older than close_range (Linux 5.9), loaded before CloseInheritedFds as
        // with no_new_privs; the helper falls back to marking /proc/self/fd one by one.
        LaunchPlan plan = plan(spec("ls", "/proc/self/fd"));
        Launched l = launch(request(withFilterBefore(plan, denyCloseRange(), IdentityStep.CloseInheritedFds.class),
                true), LaunchListener.NONE);
        start();
        assertEquals(0, l.waitFor(), this::stderr);
        // 3 is ls's own directory
        assertEquals("0\n1\n2\n3\n", stdout());
    }

    /** close_range (436) fails with EPERM; everything else is allowed. */
    private static byte[] denyCloseRange() {
        ByteBuffer b = ByteBuffer.allocate(4 * 8).order(ByteOrder.nativeOrder());
        insn(b, 0x20, 0, 0, 0); // ld [0]: the syscall number
        insn(b, 0x15, 1, 0, 436); // jeq 436 -> deny
        insn(b, 0x06, 0, 0, 0x7fff0000); // ret ALLOW
        insn(b, 0x06, 0, 0, 0x00050000 | 1); // ret ERRNO(EPERM)
        return b.array();
    }

    /** mkdir (83) and mkdirat (258) fail with EPERM; everything else is allowed. */
    private static byte[] denyMkdir() {
        ByteBuffer b = ByteBuffer.allocate(5 * 8).order(ByteOrder.nativeOrder());
        insn(b, 0x20, 0, 0, 0); // ld [0]: the syscall number
        insn(b, 0x15, 2, 0, 83); // jeq 83 -> deny
        insn(b, 0x15, 1, 0, 258); // jeq 258 -> deny
        insn(b, 0x06, 0, 0, 0x7fff0000); // ret ALLOW
        insn(b, 0x06, 0, 0, 0x00050000 | 1); // ret ERRNO(EPERM)
        return b.array();
    }

    private static void insn(ByteBuffer b, int code, int jt, int jf, int k) {
        b.putShort((short) code).put((byte) jt).put((byte) jf).putInt(k);
    }

    private static byte[] withFilterBeforeExec(LaunchPlan plan, byte[] filter) {
        return withFilterBefore(plan, filter, IdentityStep.Exec.class);
    }

    private static byte[] withFilterBefore(LaunchPlan plan, byte[] filter, Class<? extends Step> before) {
        List<Step> steps = plan.steps();
        PlanWriter out = new PlanWriter().bytes(PlanEncoder.MAGIC).u8(PlanEncoder.VERSION)
                .i32(steps.size() + 1);
        for (Step step : steps) {
            if (before.isInstance(step)) {
                byte[] payload = new PlanWriter().i64(0).i32(filter.length).bytes(filter).toByteArray();
                out.u16(SET_SECCOMP).i32(payload.length).bytes(payload);
            }
            PlanWriter payload = new PlanWriter();
            step.writeTo(payload);
            byte[] bytes = payload.toByteArray();
            out.u16(step.opcode().code()).i32(bytes.length).bytes(bytes);
        }
        return out.toByteArray();
    }
}
