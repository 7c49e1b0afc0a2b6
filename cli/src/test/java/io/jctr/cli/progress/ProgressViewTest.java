package io.jctr.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.api.services.pull.v1.BlobProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressViewTest {

    private static final String L = "sha256:" + "1".repeat(64);
    private static final String C = "sha256:" + "2".repeat(64);

    private static BlobProgress blob(String kind, String digest, BlobProgress.State s, long offset, long total) {
        return BlobProgress.newBuilder().setKind(kind).setDigest(digest).setState(s).setOffset(offset).setTotal(total).build();
    }

    @Test
    void plainModePrintsOneLinePerStateChange() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressView v = new ProgressView(new PrintStream(buf, true, StandardCharsets.UTF_8), false, () -> 0);
        v.resolving("busybox");
        v.update(List.of(blob("layer", L, BlobProgress.State.DOWNLOADING, 10, 2048)));
        v.update(List.of(blob("layer", L, BlobProgress.State.DOWNLOADING, 20, 2048)));
        v.update(List.of(blob("layer", L, BlobProgress.State.DONE, 2048, 2048), blob("config", C, BlobProgress.State.EXISTS, 5, 5)));
        assertEquals("busybox: resolving\nlayer " + L + ": downloading (2.0 KiB)\nlayer " + L + ": done (2.0 KiB)\nconfig " + C
                + ": exists (5 B)\n", buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void terminalModeRedrawsInPlaceWithBarsAndRates() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        long[] now = {0};
        ProgressView v = new ProgressView(new PrintStream(buf, true, StandardCharsets.UTF_8), true, () -> now[0]);
        v.resolving("busybox");
        v.update(List.of(blob("layer", L, BlobProgress.State.DOWNLOADING, 0, 4 << 20), blob("config", C, BlobProgress.State.DONE, 5, 5)));
        now[0] = 1_000_000_000L;
        buf.reset();
        v.update(List.of(blob("layer", L, BlobProgress.State.DOWNLOADING, 2 << 20, 4 << 20), blob("config", C, BlobProgress.State.DONE, 5, 5)));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("\033[2A"), "cursor up over the two lines drawn before: " + out);
        String[] lines = out.substring("\033[2A".length()).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("\r\033[2Klayer    sha256:111111111111 downloading [============>           ] 2.0 MiB/4.0 MiB"), lines[0]);
        assertTrue(lines[0].endsWith("2.0 MiB/s"), lines[0]);
        assertTrue(lines[1].contains("config   sha256:222222222222 done        [========================] 5 B/5 B"), lines[1]);
        assertFalse(lines[1].contains("/s"), "no rate once done");
    }
}
