package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applying through a real overlay mount: layer 1 is the lower directory, layer 2 goes through the
 * merged view, and the kernel records each removal as a whiteout in the upper directory.
 */
@Tag("root")
class OverlayWhiteoutTest {

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    @TempDir
    Path tmp;

    private Path lower;
    private Path upper;
    private Path merged;
    private boolean mounted;

    @BeforeEach
    void mount() throws IOException, InterruptedException {
        lower = Files.createDirectory(tmp.resolve("lower"));
        upper = Files.createDirectory(tmp.resolve("upper"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        merged = Files.createDirectory(tmp.resolve("merged"));
        LayerApplier.apply(new ByteArrayInputStream(WhiteoutTest.lowerLayer()), null, lower);
        run("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, merged.toString());
        mounted = true;
    }

    @AfterEach
    void unmount() throws IOException, InterruptedException {
        if (mounted) {
            run("umount", merged.toString());
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", command));
    }

    private static boolean isWhiteout(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return (mode & S_IFMT) == S_IFCHR && (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS) == 0L;
    }

    @Test
    void removalsBecomeWhiteoutsInTheUpperDirectory() throws IOException {
        AppliedLayer applied = LayerApplier.apply(new ByteArrayInputStream(TarBuilder.gzip(WhiteoutTest.upperLayer())),
                "application/vnd.oci.image.layer.v1.tar+gzip", merged);
        assertEquals(TarBuilder.sha256(WhiteoutTest.upperLayer()), applied.diffId());

        assertEquals(List.of("d", "d/new", "d/sub", "d/sub/newer", "keep", "keepdir", "o", "o/mine"), WhiteoutTest.tree(merged));
        for (String gone : List.of("gone", "gonedir", "gonelink", "d/a", "d/b", "o/lower", "keepdir/k")) {
            assertTrue(isWhiteout(upper.resolve(gone)), gone + " is a 0:0 character device in the upper directory");
        }
        assertFalse(Files.exists(upper.resolve(".wh.gone"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("gone", Files.readString(lower.resolve("gone")), "the lower layer is untouched");
        assertEquals("newer", Files.readString(upper.resolve("d/sub/newer")));
    }
}
