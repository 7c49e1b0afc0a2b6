package io.jctr.plugins.snapshots.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link Mounter} turns mounts into mount(2) calls, against a recording libc. */
class MounterTest {

    private final RecordingLibC libc = new RecordingLibC(0);
    private final Mounter mounter = new Mounter(libc.posix());

    @Test
    void aReadOnlyBindIsABindAndAReadOnlyRemount() throws Exception {
        mounter.mountAll(List.of(new Mount("bind", "/src", List.of("rbind", "ro"))), Path.of("/mnt"));
        assertEquals(List.of("mount[/src, /mnt, null, " + (4096 | 16384) + ", null]",
                "mount[null, /mnt, null, " + (32 | 4096 | 1) + ", null]"), libc.calls);
    }

    @Test
    void aWritableBindIsOneCall() throws Exception {
        mounter.mountAll(List.of(new Mount("bind", "/src", List.of("rbind", "rw"))), Path.of("/mnt"));
        assertEquals(List.of("mount[/src, /mnt, null, " + (4096 | 16384) + ", null]"), libc.calls);
    }

    @Test
    void flagWordsBecomeFlagsAndTheRestData() throws Exception {
        mounter.mount(new Mount("overlay", "overlay", List.of("ro", "nosuid", "index=off", "lowerdir=/a:/b")), Path.of("/mnt"));
        assertEquals(List.of("mount[overlay, /mnt, overlay, 3, index=off,lowerdir=/a:/b]"), libc.calls);
    }

    @Test
    void overlongLayerPathsAreShortenedThroughADescriptor() throws Exception {
        List<String> lowers = new ArrayList<>();
        for (int i = 150; i > 0; i--) {
            lowers.add("/var/lib/jctr/io.jctr.snapshotter.v1.overlayfs/snapshots/" + i + "/fs");
        }
        String base = "/var/lib/jctr/io.jctr.snapshotter.v1.overlayfs/snapshots/";
        mounter.mount(new Mount("overlay", "overlay", List.of("index=off", "workdir=" + base + "151/work",
                "upperdir=" + base + "151/fs", "lowerdir=" + String.join(":", lowers))), Path.of("/mnt"));

        assertEquals("open[" + base.substring(0, base.length() - 1) + ", " + (010000000 | 0200000 | 02000000) + "]", libc.calls.get(0));
        String data = libc.calls.get(1);
        assertTrue(data.startsWith("mount[overlay, /mnt, overlay, 0, index=off,workdir=/proc/self/fd/7/151/work,"
                + "upperdir=/proc/self/fd/7/151/fs,lowerdir=/proc/self/fd/7/150/fs:/proc/self/fd/7/149/fs:"), data);
        assertTrue(data.endsWith(":/proc/self/fd/7/1/fs]"), data);
        assertEquals("close[7]", libc.calls.get(2));
    }

    @Test
    void aChainTooDeepEvenWhenShortenedFailsClearly() {
        List<String> lowers = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            lowers.add("/var/lib/jctr/snapshots/" + (100000 + i) + "/fs");
        }
        IOException e = assertThrows(IOException.class, () -> mounter.mount(
                new Mount("overlay", "overlay", List.of("lowerdir=" + String.join(":", lowers))), Path.of("/mnt")));
        assertTrue(e.getMessage().contains("even with compacted layer paths"), e.getMessage());
        assertEquals("close[7]", libc.calls.get(libc.calls.size() - 1));
    }
}
