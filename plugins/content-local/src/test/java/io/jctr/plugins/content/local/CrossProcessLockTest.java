package io.jctr.plugins.content.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.spi.JctrException;
import io.jctr.spi.content.ContentWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes on one root: an ingest's lock file keeps the second one out. */
class CrossProcessLockTest {

    @TempDir
    Path dir;

    @Test
    void anotherProcessCannotWriteAnOpenIngest() throws Exception {
        LocalContentStore store = new LocalContentStore(dir);
        ContentWriter w = store.writer("shared", 0, "");
        // a failed attempt from a second store in this JVM must not weaken the lock (POSIX locks
        // drop when any descriptor of the file closes)
        JctrException e = assertThrows(JctrException.class,
                () -> new LocalContentStore(dir).writer("shared", 0, ""));
        assertEquals(JctrException.Kind.UNAVAILABLE, e.kind());

        assertEquals("UNAVAILABLE", probe("shared"));
        assertEquals("acquired", probe("other"));
        w.close();
        assertEquals("acquired", probe("shared"));
        assertEquals(0, store.status("shared").offset());
    }

    private String probe(String ref) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), dir.toString(), ref))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), "probe exit status");
        return out;
    }
}
