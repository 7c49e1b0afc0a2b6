package io.jctr.plugins.runtime.linux.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.PlanEncoder;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The helper runs from one sealed memfd that nobody, inside a container or not, can change. */
class HelperBinaryTest extends ContainerTestBase {

    @Test
    void oneSealedCopyPerJvm() throws Exception {
        String path = HelperBinary.path();
        assertEquals(path, HelperBinary.path());
        assertTrue(path.startsWith("/proc/" + posix.libc.getpid() + "/fd/"), path);
        int fd = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
        // F_GET_SEALS: seal, shrink, grow, write
        assertEquals(0xf, posix.libc.fcntl(fd, 1034, 0));
        try (InputStream in = HelperBinary.class.getResourceAsStream(HelperBinary.RESOURCE)) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(Path.of(path)));
        }
        assertThrows(IOException.class, () -> {
            try (FileOutputStream out = new FileOutputStream(path, true)) {
                out.write(0);
            }
        });
        assertThrows(IOException.class, () -> Files.write(Path.of(path), new byte[] {1}));
    }

    @Test
    void theContainerCannotWriteToItsInitsBinary() throws Exception {
        ObjectNode spec = spec("true");
        // A startContainer hook runs in the container, after the root switch and before the
        // exec: the moment /proc/1/exe is still the helper (sealed, and non-dumpable too).
        ObjectNode hook = spec.putObject("hooks").putArray("startContainer").addObject()
                .put("path", "/bin/sh");
        hook.putArray("args").add("sh").add("-c")
                .add("if echo x >> /proc/1/exe; then echo writable; else echo refused; fi");
        Launched l = launch(request(PlanEncoder.encode(plan(spec)), true), LaunchListener.NONE);
        start();
        assertEquals(0, l.waitFor(), this::stderr);
        assertEquals("refused\n", stdout());
        assertTrue(stderr().contains("/proc/1/exe"), stderr());
    }
}
