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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RootedPath} remembers the directories one apply resolved; these layers resolve a directory
 * (filling the cache), then replace or remove it, then write below its name again. The later entry
 * must see the new node, never the remembered directory, and nothing outside may change.
 */
class ResolvedDirectoryCacheTest {

    @TempDir
    Path tmp;

    private Outside o;
    private String outsideAbs;

    @BeforeEach
    void setUp() throws IOException {
        o = new Outside(tmp);
        outsideAbs = o.dir.toString();
    }

    @AfterEach
    void removeSymlinks() throws IOException {
        try (Stream<Path> all = Files.walk(o.target)) {
            for (Path p : all.filter(Files::isSymbolicLink).toList()) {
                Files.delete(p);
            }
        }
    }

    private void apply(TarBuilder layer) throws IOException {
        LayerApplier.apply(new ByteArrayInputStream(layer.build()), "application/vnd.oci.image.layer.v1.tar", o.target);
    }

    private Path inTarget(String relative) {
        return o.target.resolve(relative.startsWith("/") ? relative.substring(1) : relative);
    }

    @Test
    void directoryReplacedBySymlinkToRootIsResolvedAfresh() throws IOException {
        apply(new TarBuilder()
                .dir("a")
                .file("a/x", "x")
                .symlink("a", "/")
                .file("a/" + o.token, "pwned")
                .file("a" + outsideAbs + "/secret", "pwned"));
        assertTrue(Files.isSymbolicLink(inTarget("a")));
        assertEquals("pwned", Files.readString(inTarget(o.token)));
        assertEquals("pwned", Files.readString(inTarget(outsideAbs + "/secret")));
        o.assertUntouched();
    }

    @Test
    void nestedDirectoriesReplacedBySymlinkUpAreResolvedAfresh() throws IOException {
        apply(new TarBuilder()
                .dir("a")
                .dir("a/b")
                .file("a/b/x", "x")
                .symlink("a", "../..")
                .file("a/b/" + o.token, "pwned")
                .file("a/" + o.token, "pwned"));
        assertTrue(Files.isSymbolicLink(inTarget("a")));
        assertEquals("pwned", Files.readString(inTarget("b/" + o.token)));
        assertEquals("pwned", Files.readString(inTarget(o.token)));
        assertFalse(Files.exists(inTarget("a/b/x"), LinkOption.NOFOLLOW_LINKS));
        o.assertUntouched();
    }

    @Test
    void directoryReplacedBySymlinkIntoTheHostIsResolvedAfresh() throws IOException {
        apply(new TarBuilder()
                .dir("a")
                .file("a/x", "x")
                .symlink("a", outsideAbs)
                .file("a/secret", "pwned"));
        assertEquals("pwned", Files.readString(inTarget(outsideAbs + "/secret")));
        o.assertUntouched();
    }

    @Test
    void directoryReplacedByFileIsRefused() throws IOException {
        TarBuilder layer = new TarBuilder()
                .dir("a")
                .file("a/x", "x")
                .file("a", "now a file")
                .file("a/y", "y");
        io.jctr.spi.JctrException e = org.junit.jupiter.api.Assertions.assertThrows(io.jctr.spi.JctrException.class, () -> apply(layer));
        assertTrue(e.getMessage().contains("\"a\" is not a directory"), e.getMessage());
        o.assertUntouched();
    }

    @Test
    void whiteoutThenNewEntriesBelowRecreateTheDirectory() throws IOException {
        apply(new TarBuilder()
                .dir("a")
                .dir("a/b")
                .file("a/x", "x")
                .file("a/b/x", "x")
                .file(".wh.a", "")
                .file("a/z", "z")
                .file("a/b/w", "w"));
        assertTrue(Files.isDirectory(inTarget("a"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("z", Files.readString(inTarget("a/z")));
        assertEquals("w", Files.readString(inTarget("a/b/w")));
        assertFalse(Files.exists(inTarget("a/x")));
        assertFalse(Files.exists(inTarget("a/b/x")));
        o.assertUntouched();
    }

    @Test
    void whiteoutThenSymlinkInItsPlace() throws IOException {
        apply(new TarBuilder()
                .dir("a")
                .file("a/x", "x")
                .file(".wh.a", "")
                .symlink("a", "/")
                .file("a/" + o.token, "pwned"));
        assertEquals("pwned", Files.readString(inTarget(o.token)));
        o.assertUntouched();
    }

    @Test
    void opaqueWhiteoutForgetsRemovedDirectories() throws IOException {
        Files.createDirectories(inTarget("p/old/deep"));
        apply(new TarBuilder()
                .file("p/old/deep/x", "x")
                .file("p/.wh..wh..opq", "")
                .symlink("p/old", "/")
                .file("p/old/" + o.token, "pwned"));
        assertEquals("pwned", Files.readString(inTarget(o.token)));
        o.assertUntouched();
    }

    @Test
    void createdModesAndOwnersMatchTheEntries() throws IOException {
        apply(new TarBuilder()
                .dir("d", 0750)
                .file("d/f644", "f", 0644)
                .file("d/f600", "f", 0600)
                .file("d/f4755", "f", 04755)
                .file("d/f000", "f", 0)
                .file("implicit/f", "f", 0640));
        for (List<Object> expect : List.of(List.<Object>of("d", 0750), List.<Object>of("d/f644", 0644), List.<Object>of("d/f600", 0600),
                List.<Object>of("d/f4755", 04755), List.<Object>of("d/f000", 0), List.<Object>of("implicit", 0755),
                List.<Object>of("implicit/f", 0640))) {
            int mode = (Integer) Files.getAttribute(inTarget((String) expect.get(0)), "unix:mode", LinkOption.NOFOLLOW_LINKS);
            assertEquals(expect.get(1), mode & 07777, (String) expect.get(0));
        }
    }
}
