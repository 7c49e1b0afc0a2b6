package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer applied without its parents ({@link ApplyOptions#withoutParents()}), settled with them
 * ({@link LowerDirectories}) and stacked on them by a real overlay mount shows exactly what
 * applying it through an overlay mount of the parents shows — names, types, contents, link
 * targets, owners, modes, user xattrs. Where it cannot, the applier or the settling says so
 * ({@link ParentsNeededException}) instead of stacking something different.
 */
@Tag("root")
class WithoutParentsTest {

    private static final String TAR = "application/vnd.oci.image.layer.v1.tar";

    @TempDir
    Path tmp;

    private final Deque<Path> mounts = new ArrayDeque<>();

    @AfterEach
    void unmountAll() throws Exception {
        while (!mounts.isEmpty()) {
            run("umount", mounts.pop().toString());
        }
    }

    @Test
    void whiteoutsOpaqueDirectoriesAndReplacementsStackAsTheyApplyOnTheParents() throws Exception {
        byte[] upper = new TarBuilder()
                .file(".wh.gone", "")
                .file(".wh.gonedir", "")
                .file(".wh.gonelink", "")
                .file(".wh.never-existed", "")
                .dir("d")
                .file("d/.wh..wh..opq", "")
                .file("d/new", "new")
                .dir("d/sub")
                .file("d/sub/newer", "newer")
                .dir("o")
                .file("o/mine", "mine")
                .file("o/.wh..wh..opq", "")
                .file("keepdir/.wh.k", "")
                // a directory in place of a removed one hides what the parents had in it
                .file(".wh.replaced", "")
                .dir("replaced")
                .file("replaced/fresh", "fresh")
                .build();
        assertSameAsOnTheParents(lower(), upper);
    }

    @Test
    void directoriesTheLayerDoesNotNameKeepTheParentsOwnerModeAndXattrs() throws Exception {
        byte[] lower = new TarBuilder()
                .add(owned("home/", TarConstants.LF_DIR, 0755, 0, 0), new byte[0])
                .add(owned("home/user/", TarConstants.LF_DIR, 0700, 1000, 1000), new byte[0])
                .add(owned("srv/", TarConstants.LF_DIR, 02770, 0, 50), new byte[0])
                .build();
        byte[] upper = new TarBuilder()
                .file("home/user/.profile", "x")
                .file("srv/data/new", "y")
                .file("srv/.wh.nothing", "")
                .dir("srv/named")
                .file("srv/named/deep/f", "v")
                .symlink("shortcut", "home/user")
                .file("shortcut/through-symlink", "z")
                .file("brand/new/dir/file", "w")
                .build();
        Path parents = applied(lower);
        assertTrue(setUserXattr(parents.resolve("home/user"), "user.jctr", "kept"));
        assertSameAsOnTheParents(parents, upper);
    }

    @Test
    void aHardLinkToTheParentsFilesNeedsTheParents() throws Exception {
        byte[] upper = new TarBuilder().hardLink("link-to-keep", "keep").build();
        Path alone = Files.createDirectory(tmp.resolve("alone"));
        ParentsNeededException e = assertThrows(ParentsNeededException.class, () -> LayerApplier.apply(
                new ByteArrayInputStream(upper), TAR, alone, ApplyOptions.defaults().forTargetWithoutParents()));
        assertTrue(e.getMessage().contains("link-to-keep"), e.getMessage());
        // a link within the layer itself needs nothing
        byte[] own = new TarBuilder().file("f", "f").hardLink("g", "f").build();
        assertSameAsOnTheParents(lower(), own);
    }

    @Test
    void aPathThroughTheParentsSymlinkNeedsTheParents() throws Exception {
        byte[] lower = new TarBuilder().dir("usr").dir("usr/lib").symlink("lib", "usr/lib").build();
        byte[] upper = new TarBuilder().file("lib/libnew.so", "so").build();
        Path parents = applied(lower);
        Path alone = Files.createDirectory(tmp.resolve("alone"));
        AppliedLayer applied = LayerApplier.apply(new ByteArrayInputStream(upper), TAR, alone,
                ApplyOptions.defaults().forTargetWithoutParents());
        assertEquals(List.of("lib"), applied.implicitDirectories());
        assertThrows(ParentsNeededException.class, () -> LowerDirectories.adopt(alone, parents, applied.implicitDirectories()));
        // on the parents, the entry went through the symlink
        assertEquals("so", Files.readString(onParents(parents, upper).resolve("usr/lib/libnew.so")));
    }

    @Test
    void aDirectoryMadeOnlyForWhiteoutsOfWhatTheParentsLackNeedsThem() throws Exception {
        byte[] upper = new TarBuilder().file("missing-dir/.wh.x", "").build();
        Path alone = Files.createDirectory(tmp.resolve("alone"));
        AppliedLayer applied = LayerApplier.apply(new ByteArrayInputStream(upper), TAR, alone,
                ApplyOptions.defaults().forTargetWithoutParents());
        assertThrows(ParentsNeededException.class, () -> LowerDirectories.adopt(alone, lower(), applied.implicitDirectories()));
    }

    @Test
    void theLayerStaysInsideItsOwnDirectory() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        byte[] upper = new TarBuilder()
                .symlink("escape", outside.toString())
                .file("escape/.wh.victim", "")
                .file("escape/written", "no")
                .file("../../up/.wh.x", "")
                .build();
        Files.writeString(outside.resolve("victim"), "still here");
        Path alone = Files.createDirectory(tmp.resolve("alone"));
        LayerApplier.apply(new ByteArrayInputStream(upper), TAR, alone, ApplyOptions.defaults().forTargetWithoutParents());
        assertEquals(List.of("victim"), WhiteoutTest.tree(outside));
        assertEquals("still here", Files.readString(outside.resolve("victim")));
    }

    /** Applies {@code upper} both ways onto {@code parents} and compares the merged views. */
    private void assertSameAsOnTheParents(Path parents, byte[] upper) throws Exception {
        Map<String, String> expected = summary(onParents(parents, upper));
        Path alone = Files.createDirectory(tmp.resolve("alone-" + mounts.size()));
        AppliedLayer applied = LayerApplier.apply(new ByteArrayInputStream(upper), TAR, alone,
                ApplyOptions.defaults().forTargetWithoutParents());
        assertEquals(TarBuilder.sha256(upper), applied.diffId());
        LowerDirectories.adopt(alone, parents, applied.implicitDirectories());
        Map<String, String> actual = summary(overlay(parents, alone, true));
        assertEquals(expected, actual);
    }

    /** The merged view after applying {@code upper} through an overlay of {@code parents} (a copy: they stay as they are). */
    private Path onParents(Path parents, byte[] upper) throws Exception {
        Path merged = overlay(parents, Files.createDirectory(tmp.resolve("upper-" + mounts.size())), false);
        LayerApplier.apply(new ByteArrayInputStream(upper), TAR, merged);
        return merged;
    }

    private Path overlay(Path lower, Path upper, boolean readOnly) throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work-" + mounts.size()));
        Path merged = Files.createDirectory(tmp.resolve("merged-" + mounts.size()));
        String options = readOnly ? "lowerdir=" + upper + ":" + lower : "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
        run("mount", "-t", "overlay", "overlay", "-o", options, merged.toString());
        mounts.push(merged);
        return merged;
    }

    private Path lower() throws IOException {
        return applied(WhiteoutTest.lowerLayer());
    }

    private Path applied(byte[] layer) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("lower-" + System.nanoTime()));
        LayerApplier.apply(new ByteArrayInputStream(layer), TAR, dir);
        return dir;
    }

    /** Per path: type, mode, owner, content or link target, user xattrs. */
    private static Map<String, String> summary(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String what;
                if (Files.isSymbolicLink(p)) {
                    what = "-> " + Files.readSymbolicLink(p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    what = "dir " + userXattrs(p);
                } else {
                    what = Files.readString(p) + " " + userXattrs(p);
                }
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                out.put(root.relativize(p).toString(), String.format("%o %s:%s %s", mode, Files.getAttribute(p, "unix:uid",
                        LinkOption.NOFOLLOW_LINKS), Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS), what));
            }
        }
        return out;
    }

    private static Map<String, String> userXattrs(Path p) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        Map<String, String> out = new TreeMap<>();
        for (String name : view.list()) {
            ByteBuffer b = ByteBuffer.allocate(view.size(name));
            view.read(name, b);
            out.put(name, new String(b.array(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static boolean setUserXattr(Path p, String name, String value) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.write(name.substring("user.".length()), ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
        return true;
    }

    private static TarArchiveEntry owned(String name, byte type, int mode, int uid, int gid) {
        TarArchiveEntry e = TarBuilder.entry(name, type, mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        return e;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", command));
    }
}
