package io.jctr.plugins.runtime.linux.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.PlanDecoder;
import io.jctr.plugins.runtime.linux.plan.PlanEncoder;
import io.jctr.plugins.runtime.linux.plan.PlanWriter;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The helper's reader refuses exactly the plans {@link PlanDecoder} refuses, with the same
 * message: both are run over random corruptions of a plan that uses most record types.
 */
class PlanCheckTest extends ContainerTestBase {

    private static final String SUFFIX = ": " + JctrException.Kind.INVALID_ARGUMENT.text();

    @Test
    void helperAndDecoderAgreeOnCorruptedPlans() throws Exception {
        byte[] valid = PlanEncoder.encode(plan(richSpec()));
        assertEquals("", check(valid));
        Random random = new Random(20261129);
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            byte[] plan = corrupt(valid, random);
            String expected;
            try {
                PlanDecoder.decode(plan);
                expected = "";
            } catch (JctrException e) {
                expected = "error " + e.getMessage().substring(0, e.getMessage().length() - SUFFIX.length()) + "\n";
            }
            if (expected.contains("unknown opcode 0x50a ")) {
                continue; // SetSeccomp: known to the helper before PlanDecoder
            }
            assertEquals(expected, check(plan), "case " + i + ": " + Arrays.toString(plan));
            refused += expected.isEmpty() ? 0 : 1;
        }
        // Most corruptions break a length or a count; some only change a value.
        assertTrue(refused > 150 && refused < 300, refused + " of 300 refused");
    }

    @Test
    void seccompFiltersMustBeWholeInstructions() throws Exception {
        for (int length : new int[] {0, 12, 4097 * 8}) {
            byte[] plan = new PlanWriter().bytes(PlanEncoder.MAGIC).u8(1).i32(1).u16(0x050a)
                    .i32(12 + length).i64(0).i32(length).bytes(new byte[length]).toByteArray();
            assertEquals("error launch plan: seccomp filter of " + length
                    + " bytes is not 1 to 4096 instructions at byte " + (12 + length) + "\n", check(plan));
        }
    }

    private ObjectNode richSpec() {
        ObjectNode spec = spec("sh", "-c", "true");
        ObjectNode linux = (ObjectNode) spec.get("linux");
        ((ArrayNode) linux.get("namespaces")).addObject().put("type", "user");
        for (String map : new String[] {"uidMappings", "gidMappings"}) {
            linux.putArray(map).addObject().put("containerID", 0).put("hostID", 1000).put("size", 10);
        }
        linux.putObject("sysctl").put("net.ipv4.ip_forward", "1");
        spec.put("hostname", "h");
        ObjectNode hook = spec.putObject("hooks").putArray("createContainer").addObject().put("path", "/bin/true");
        hook.putArray("args").add("true");
        ((ObjectNode) spec.get("process")).put("oomScoreAdj", 10).putObject("user")
                .put("uid", 1).put("gid", 2).putArray("additionalGids").add(3);
        return spec;
    }

    private static byte[] corrupt(byte[] valid, Random random) {
        int at = random.nextInt(valid.length);
        return switch (random.nextInt(4)) {
            case 0 -> {
                byte[] b = valid.clone();
                b[at] = (byte) random.nextInt(256);
                yield b;
            }
            case 1 -> Arrays.copyOf(valid, at);
            case 2 -> {
                byte[] b = new byte[valid.length + 1];
                System.arraycopy(valid, 0, b, 0, at);
                b[at] = (byte) random.nextInt(256);
                System.arraycopy(valid, at, b, at + 1, valid.length - at);
                yield b;
            }
            default -> {
                byte[] b = new byte[valid.length - 1];
                System.arraycopy(valid, 0, b, 0, at);
                System.arraycopy(valid, at + 1, b, at, valid.length - at - 1);
                yield b;
            }
        };
    }

    /** What {@code jctr-helper --check} says about {@code plan}: "" when it accepts it. */
    private static String check(byte[] plan) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(HelperBinary.path(), "--check").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(plan);
        } catch (IOException e) {
            // the helper may stop reading early; its verdict is on stdout
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        assertEquals(out.isEmpty() ? 0 : 1, status, out);
        return out;
    }
}
