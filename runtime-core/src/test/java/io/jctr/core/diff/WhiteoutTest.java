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
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whiteouts and opaque directories applied over a lower layer in the same directory (a native snapshot). */
class WhiteoutTest {

    @TempDir
    Path target;

    static byte[] lowerLayer() {
        return new TarBuilder()
                .dir("d")
                .file("d/a", "a")
                .file("d/b", "b")
                .dir("d/sub")
                .file("d/sub/c", "c")
                .dir("keepdir")
                .file("keepdir/k", "k")
                .file("gone", "gone")
                .dir("gonedir")
                .file("gonedir/x", "x")
                .symlink("gonelink", "/gone")
                .file("keep", "keep")
                .dir("o")
                .file("o/lower", "lower")
                .build();
    }

    static byte[] upperLayer() {
        return new TarBuilder()
                .file(".wh.gone", "")
                .file(".wh.gonedir", "")
                .file(".wh.gonelink", "")
                .file(".wh.never-existed", "")
                .file("missing-dir/.wh.x", "")
                .dir("d")
                .file("d/.wh..wh..opq", "")
                .file("d/new", "new")
                .dir("d/sub")
                .file("d/sub/newer", "newer")
                .dir("o")
                .file("o/mine", "mine")
                .file("o/.wh..wh..opq", "")
                .file("keepdir/.wh.k", "")
                .build();
    }

    @BeforeEach
    void applyLower() throws IOException {
        apply(lowerLayer());
    }

    private void apply(byte[] layer) throws IOException {
        LayerApplier.apply(new ByteArrayInputStream(layer), "application/vnd.oci.image.layer.v1.tar", target);
    }

    static List<String> tree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void whiteoutsRemoveLowerEntriesAndOpaqueDirectoriesKeepOnlyThisLayersChildren() throws IOException {
        apply(upperLayer());
        assertEquals(List.of("d", "d/new", "d/sub", "d/sub/newer", "keep", "keepdir", "o", "o/mine"), tree(target));
        assertFalse(Files.exists(target.resolve("missing-dir")), "a whiteout creates nothing");
        assertEquals("new", Files.readString(target.resolve("d/new")));
    }

    @Test
    void opaqueMarkerBeforeOrAfterTheChildrenGivesTheSameResult() throws IOException {
        apply(new TarBuilder().file("o/.wh..wh..opq", "").file("o/mine", "mine").build());
        assertEquals(List.of("o/mine"), tree(target).stream().filter(p -> p.startsWith("o/")).toList());
    }

    @Test
    void whiteoutOfASymlinkRemovesTheSymlinkNotItsTarget() throws IOException {
        apply(new TarBuilder().symlink("link-to-keep", "keep").build());
        apply(new TarBuilder().file(".wh.link-to-keep", "").build());
        assertFalse(Files.exists(target.resolve("link-to-keep"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(target.resolve("keep")));
    }

    @Test
    void whiteoutFilesAreNeverCreated() throws IOException {
        apply(upperLayer());
        try (Stream<Path> all = Files.walk(target)) {
            assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith(".wh.")));
        }
    }
}
