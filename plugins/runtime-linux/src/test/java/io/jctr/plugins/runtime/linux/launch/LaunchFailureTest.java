package io.jctr.plugins.runtime.linux.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.PlanDecoder;
import io.jctr.plugins.runtime.linux.plan.PlanEncoder;
import io.jctr.plugins.runtime.linux.plan.PlanWriter;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A plan the helper refuses, or a step that fails: one line naming what failed, and nothing
 * left behind — no process, no mount, no file.
 */
class LaunchFailureTest extends ContainerTestBase {

    static Stream<String> malformations() {
        return Stream.of("truncated", "bad magic", "bad version", "unknown opcode", "trailing bytes",
                "short payload", "long payload", "bad boolean", "huge count");
    }

    static byte[] malformed(String how, byte[] valid) {
        byte[] header = new PlanWriter().bytes(PlanEncoder.MAGIC).u8(1).i32(1).toByteArray();
        return switch (how) {
            case "truncated" -> Arrays.copyOf(valid, valid.length - 1);
            case "bad magic" -> replace(valid, 0, (byte) 'X');
            case "bad version" -> replace(valid, 8, (byte) 2);
            case "unknown opcode" -> new PlanWriter().bytes(header).u16(0x0999).i32(0).toByteArray();
            case "trailing bytes" -> Arrays.copyOf(valid, valid.length + 1);
            // SetUmask (0x0401) takes an i32
            case "short payload" -> new PlanWriter().bytes(header).u16(0x0401).i32(2).u16(0).toByteArray();
            case "long payload" -> new PlanWriter().bytes(header).u16(0x0401).i32(6).i32(0).u16(0).toByteArray();
            // Symlink (0x0304): target, path, replace
            case "bad boolean" -> new PlanWriter().bytes(header).u16(0x0304).i32(11)
                    .str("a").str("b").u8(2).toByteArray();
            case "huge count" -> new PlanWriter().bytes(PlanEncoder.MAGIC).u8(1).i32(-1).toByteArray();
            default -> throw new IllegalArgumentException(how);
        };
    }

    private static byte[] replace(byte[] bytes, int at, byte value) {
        byte[] copy = bytes.clone();
        copy[at] = value;
        return copy;
    }

    @ParameterizedTest
    @MethodSource("malformations")
    void malformedPlansAreRefusedBeforeAnythingRuns(String how) throws Exception {
        byte[] plan = malformed(how, PlanEncoder.encode(plan(spec("echo", "never"))));
        JctrException expected = assertThrows(JctrException.class, () -> PlanDecoder.decode(plan));
        LaunchException e = assertThrows(LaunchException.class,
                () -> launch(request(plan, false), LaunchListener.NONE));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
        assertEquals(expected.getMessage(), e.getMessage());
        assertTrue(inits.isEmpty(), "an init was created");
        assertNothingLeft();
    }

    @Test
    void aMissingProgramIsACreateTimeError() throws Exception {
        LaunchException e = assertThrows(LaunchException.class, () -> launch(
                request(PlanEncoder.encode(plan(spec("nosuch-program"))), false), LaunchListener.NONE));
        assertEquals("process.args: exec \"nosuch-program\": No such file or directory", e.getMessage());
        assertGone();
    }

    @Test
    void aFailingExecIsReportedWithoutWaitForStart() throws Exception {
        LaunchRequest r = new LaunchRequest(withoutWait(plan(spec("/bin/nosuch"))), null, null, 0,
                List.of(), new LaunchRequest.Stdio(null, out, err), false, null);
        LaunchException e = assertThrows(LaunchException.class, () -> launch(r, LaunchListener.NONE));
        assertEquals("process.args: exec \"/bin/nosuch\": No such file or directory", e.getMessage());
        assertGone();
    }

    @Test
    void aFailingMountNamesItsSpecField() throws Exception {
        ObjectNode spec = spec("echo", "never");
        ArrayNode mounts = (ArrayNode) spec.get("mounts");
        mounts.addObject().put("destination", "/tmp").put("type", "nosuchfs").put("source", "none");
        LaunchException e = assertThrows(LaunchException.class,
                () -> launch(request(PlanEncoder.encode(plan(spec)), false), LaunchListener.NONE));
        assertEquals("mounts[" + (mounts.size() - 1) + "]: mount \"none\" on \"/tmp\": No such device",
                e.getMessage());
        assertGone();
    }

    private void assertGone() throws IOException {
        assertEquals(1, inits.size());
        assertFalse(Files.exists(Path.of("/proc/" + inits.get(0))), "init " + inits.get(0) + " exists");
        assertNothingLeft();
    }

    /** No mount of this test's directory on the host, no file but the test's own (and stdio). */
    private void assertNothingLeft() throws IOException {
        String root = tmp.toRealPath().toString();
        assertTrue(Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .noneMatch(l -> l.contains(root)), "a mount was left behind");
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(Set.of("bundle", "exec.fifo", "out", "err"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        try (Stream<Path> files = Files.list(rootfs)) {
            assertEquals(Set.of("bin", "proc", "sys", "dev", "tmp", "etc", "root"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }
}
