package io.jctr.plugins.runtime.linux.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** runc's checkpoint/restore flags as criu options, and the checks made before CRIU runs. */
class CriuArgumentsTest {

    private static final Path IMAGES = Path.of("/images");

    private static CriuOptions options(String parent, boolean leaveRunning, boolean preDump, String pageServer,
            String cgroupsMode, List<String> emptyNs) {
        return new CriuOptions(IMAGES, Path.of("/work"), parent, leaveRunning, true, true, true, true, preDump,
                false, false, -1, pageServer, cgroupsMode, emptyNs, "", "");
    }

    @Test
    void argumentsAreCheckedAsRuncChecksThem() {
        assertInvalid(() -> options("/abs/parent", false, false, "", "", List.of()), "--parent-path must be relative");
        assertInvalid(() -> options("", false, false, "", "hard", List.of()), "invalid manage cgroups mode \"hard\"");
        assertInvalid(() -> options("", false, false, "", "", List.of("pid")), "namespace \"pid\" is not supported");
        assertInvalid(() -> options("", false, false, "host", "", List.of()), "use --page-server ADDRESS:PORT");
        assertInvalid(() -> options("", false, false, "host:x", "", List.of()), "invalid port number");
        assertInvalid(() -> CriuOptions.dump(null, null, false), "an image directory is required");
        assertEquals(IMAGES, CriuOptions.dump(IMAGES, null, false).workDir(), "criu's default: the image directory");
    }

    @Test
    void dumpFlagsBecomeCriuOptions() {
        ObjectNode json = TestSpecs.minimal();
        json.putArray("mounts").addObject().put("destination", "/data").put("type", "bind").put("source", "/srv/d")
                .putArray("options").add("rbind");
        RuntimeSpec spec = TestSpecs.read(json);

        List<String> a = CriuArguments.dump(options("../parent", false, false, "10.0.0.1:27277", "", List.of()),
                spec, 42, Path.of("/b/rootfs"));

        assertTrue(Collections.indexOfSubList(a, List.of("--tree", "42", "--root", "/b/rootfs")) >= 0, a.toString());
        assertTrue(Collections.indexOfSubList(a, List.of("--images-dir", "/images", "--work-dir", "/work",
                "--manage-cgroups=soft")) >= 0, a.toString());
        assertTrue(a.containsAll(List.of("--tcp-established", "--ext-unix-sk", "--shell-job", "--file-locks",
                "--track-mem")), a.toString());
        assertTrue(Collections.indexOfSubList(a, List.of("--ext-mount-map", "/data:/data")) >= 0, a.toString());
        assertTrue(Collections.indexOfSubList(a, List.of("--prev-images-dir", "../parent")) >= 0, a.toString());
        assertTrue(Collections.indexOfSubList(a, List.of("--page-server", "--address", "10.0.0.1", "--port",
                "27277")) >= 0, a.toString());
        assertFalse(a.contains("--leave-running"));
        assertTrue(CriuArguments.dump(options("", false, true, "", "full", List.of()), spec, 42, Path.of("/r"))
                .containsAll(List.of("--leave-running", "--track-mem", "--manage-cgroups=full")), "a pre-dump");
    }

    @Test
    void restoreMapsBindMountsBackToTheirSources() throws Exception {
        ObjectNode json = TestSpecs.minimal();
        json.putArray("mounts").addObject().put("destination", "/data").put("type", "none").put("source", "/srv/d")
                .putArray("options").add("bind");
        RuntimeSpec spec = TestSpecs.read(json);

        List<String> a = CriuArguments.restore(options("", false, false, "", "", List.of("network")), spec,
                Path.of("/mnt/root"), Path.of("/s/pid"), Map.of());

        assertTrue(Collections.indexOfSubList(a, List.of("--restore-detached", "--pidfile", "/s/pid", "--root",
                "/mnt/root")) >= 0, a.toString());
        assertTrue(Collections.indexOfSubList(a, List.of("--ext-mount-map", "/data:/srv/d")) >= 0, a.toString());
        assertTrue(Collections.indexOfSubList(a, List.of("--empty-ns", "net")) >= 0, a.toString());
    }

    private static void assertInvalid(org.junit.jupiter.api.function.Executable call, String message) {
        JctrException e = assertThrows(JctrException.class, call);
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
