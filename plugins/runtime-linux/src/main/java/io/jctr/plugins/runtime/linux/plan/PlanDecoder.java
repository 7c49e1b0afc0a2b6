package io.jctr.plugins.runtime.linux.plan;

import io.jctr.spi.JctrException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the format {@link PlanEncoder} documents back into a {@link LaunchPlan} (without
 * warnings), checking it as strictly as the helper must: magic, version, known opcodes, exact
 * payload lengths, no trailing bytes. Stateless and thread-safe.
 */
public final class PlanDecoder {

    /** opcode (u16) and length (u32): the least a record takes. */
    private static final int RECORD_HEADER = 6;

    private PlanDecoder() {
    }

    /**
     * Decodes {@code bytes}.
     *
     * @throws JctrException {@code INVALID_ARGUMENT} naming the offset of the first problem
     */
    public static LaunchPlan decode(byte[] bytes) {
        PlanReader in = new PlanReader(bytes);
        byte[] magic = new byte[PlanEncoder.MAGIC.length];
        for (int i = 0; i < magic.length; i++) {
            magic[i] = (byte) in.u8();
        }
        if (!Arrays.equals(magic, PlanEncoder.MAGIC)) {
            throw JctrException.invalidArgument("launch plan: bad magic");
        }
        int version = in.u8();
        if (version != PlanEncoder.VERSION) {
            throw in.error("unsupported version " + version);
        }
        int count = in.count(RECORD_HEADER);
        List<Step> steps = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int code = in.u16();
            Opcode opcode = Opcode.byCode(code);
            if (opcode == null) {
                throw in.error("unknown opcode 0x" + Integer.toHexString(code));
            }
            int length = in.i32();
            PlanReader payload = in.slice(length);
            steps.add(opcode.read(payload));
            payload.end();
        }
        in.end();
        return new LaunchPlan(steps, List.of());
    }
}
