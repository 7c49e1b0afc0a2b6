package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tar is hostile: each case asserts its outcome (contained inside the target, or refused
 * with the entry named) and that nothing outside the target changed.
 */
class HostileLayerTest {

    @TempDir
    Path tmp;

    private Outside o;
    private String outsideAbs;

    @BeforeEach
    void setUp() throws IOException {
        o = new Outside(tmp);
        outsideAbs = o.dir.toString();
    }

    /** Symlinks to "/" and beyond are removed here so the temp dir cleanup has nothing outside to warn about. */
    @AfterEach
    void removeSymlinks() throws IOException {
        try (Stream<Path> all = Files.walk(o.target)) {
            for (Path p : all.filter(Files::isSymbolicLink).toList()) {
                Files.delete(p);
            }
        }
    }

    private AppliedLayer apply(TarBuilder layer) throws IOException {
        return LayerApplier.apply(new ByteArrayInputStream(layer.build()), "application/vnd.oci.image.layer.v1.tar", o.target);
    }

    private JctrException refused(TarBuilder layer, String... messageParts) {
        JctrException e = assertThrows(JctrException.class, () -> apply(layer));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
        for (String part : messageParts) {
            assertTrue(e.getMessage().contains(part), e.getMessage() + " should contain " + part);
        }
        return e;
    }

    private Path inTarget(String relative) {
        return o.target.resolve(relative.startsWith("/") ? relative.substring(1) : relative);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p);
    }

    @Test
    void dotDotNamesAreContained() throws IOException {
        apply(new TarBuilder()
                .file("../../" + o.token, "pwned")
                .file("../../../../../../../../../../../../" + o.token + "-deep", "pwned")
                .file("x/../../../outside/secret", "pwned"));
        assertEquals("pwned", read(inTarget(o.token)));
        assertEquals("pwned", read(inTarget(o.token + "-deep")));
        assertEquals("pwned", read(inTarget("outside/secret")));
        o.assertUntouched();
    }

    @Test
    void absoluteNamesAreContained() throws IOException {
        apply(new TarBuilder()
                .file("/" + o.token, "pwned")
                .file(outsideAbs + "/secret", "pwned")
                .file("/./etc/../" + o.token + "-2", "pwned"));
        assertEquals("pwned", read(inTarget(o.token)));
        assertEquals("pwned", read(inTarget(outsideAbs + "/secret")));
        assertEquals("pwned", read(inTarget(o.token + "-2")));
        o.assertUntouched();
    }

    @Test
    void symlinkToHostRootIsFollowedInsideTheRoot() throws IOException {
        apply(new TarBuilder()
                .symlink("evil", "/")
                .file("evil" + outsideAbs + "/secret", "pwned")
                .file("evil/" + o.token, "pwned"));
        assertEquals("/", Files.readSymbolicLink(inTarget("evil")).toString(), "symlink target stored verbatim");
        assertEquals("pwned", read(inTarget(outsideAbs + "/secret")));
        assertEquals("pwned", read(inTarget(o.token)));
        o.assertUntouched();
    }

    @Test
    void absoluteSymlinkIntoTheHostIsFollowedInsideTheRoot() throws IOException {
        apply(new TarBuilder()
                .symlink("evil", outsideAbs)
                .file("evil/secret", "pwned")
                .dir("evil/sub", 0777));
        assertEquals(outsideAbs, Files.readSymbolicLink(inTarget("evil")).toString());
        assertEquals("pwned", read(inTarget(outsideAbs + "/secret")));
        assertTrue(Files.isDirectory(inTarget(outsideAbs + "/sub")));
        o.assertUntouched();
    }

    @Test
    void dotDotSymlinkClampsAtTheRoot() throws IOException {
        apply(new TarBuilder()
                .symlink("evil", "../../..")
                .file("evil/" + o.token, "pwned")
                .symlink("up", "../../../outside")
                .file("up/secret", "pwned"));
        assertEquals("../../..", Files.readSymbolicLink(inTarget("evil")).toString());
        assertEquals("pwned", read(inTarget(o.token)));
        assertEquals("pwned", read(inTarget("outside/secret")));
        o.assertUntouched();
    }

    @Test
    void symlinkChainsAreFollowedInsideTheRoot() throws IOException {
        apply(new TarBuilder()
                .symlink("a", "b")
                .dir("real")
                .symlink("real/b2", "../../../../outside")
                .symlink("b", "real/b2")
                .file("a/secret", "pwned"));
        assertEquals("pwned", read(inTarget("outside/secret")));
        o.assertUntouched();
    }

    @Test
    void symlinkLoopsAreRefused() throws IOException {
        refused(new TarBuilder().symlink("a", "b").symlink("b", "a").file("a/x", "pwned"),
                "layer entry \"a/x\"", "too many levels of symbolic links");
        refused(new TarBuilder().symlink("self", "self").file("self/" + o.token, "pwned"), "too many levels of symbolic links");
        o.assertUntouched();
    }

    @Test
    void symlinkChainsTooCostlyToResolveAreRefused() throws IOException {
        TarBuilder layer = new TarBuilder();
        for (int i = 0; i < 40; i++) {
            layer.symlink("l" + i, "./".repeat(2000) + "l" + (i + 1));
        }
        layer.dir("l40").file("l0/" + o.token, "pwned");
        refused(layer, "layer entry \"l0/" + o.token + "\"", "path resolution takes more than");
        o.assertUntouched();
    }

    @Test
    void symlinkReplacedByDirectory() throws IOException {
        apply(new TarBuilder()
                .symlink("d", outsideAbs)
                .dir("d", 0700)
                .file("d/secret", "pwned"));
        assertFalse(Files.isSymbolicLink(inTarget("d")));
        assertEquals("pwned", read(inTarget("d/secret")));
        o.assertUntouched();
    }

    @Test
    void symlinkAtAFilesPathIsReplacedNotWrittenThrough() throws IOException {
        apply(new TarBuilder().symlink("f", outsideAbs + "/secret").symlink("g", "../../../outside/secret"));
        apply(new TarBuilder().file("f", "pwned").file("g", "pwned", 04755));
        assertFalse(Files.isSymbolicLink(inTarget("f")));
        assertEquals("pwned", read(inTarget("f")));
        assertEquals("pwned", read(inTarget("g")));
        o.assertUntouched();
    }

    @Test
    void directoryReplacedBySymlinkGetsNoDeferredMetadata() throws IOException {
        apply(new TarBuilder()
                .dir("d", 0777)
                .symlink("d", outsideAbs + "/sub")
                .dir("e", 01777)
                .symlink("e", "../../../outside")
                .dir("p")
                .dir("p/sub", 01777)
                .dir("p/sub/deeper", 01777)
                .symlink("p", outsideAbs));
        assertTrue(Files.isSymbolicLink(inTarget("d")));
        assertTrue(Files.isSymbolicLink(inTarget("p")));
        o.assertUntouched();
    }

    @Test
    void absoluteHardLinkIsRefused() throws IOException {
        refused(new TarBuilder().hardLink("a", "/etc/passwd"), "hard link \"a\" -> \"/etc/passwd\" escapes the root");
        refused(new TarBuilder().hardLink("b", outsideAbs + "/secret"), "hard link \"b\"", "escapes the root");
        assertFalse(Files.exists(inTarget("a"), LinkOption.NOFOLLOW_LINKS));
        o.assertUntouched();
    }

    @Test
    void dotDotHardLinkIsRefused() throws IOException {
        refused(new TarBuilder().hardLink("a", "../../../etc/passwd"), "hard link \"a\" -> \"../../../etc/passwd\" escapes the root");
        refused(new TarBuilder().file("x", "x").hardLink("b", "x/../../outside/secret"), "escapes the root");
        o.assertUntouched();
    }

    @Test
    void hardLinkThroughSymlinkResolvesInsideTheRoot() throws IOException {
        refused(new TarBuilder().symlink("evil", "/").hardLink("h", "evil" + outsideAbs + "/secret"),
                "hard link \"h\"", "target not found");
        apply(new TarBuilder()
                .dir("etc")
                .file("etc/passwd", "inside")
                .symlink("evil", "/")
                .hardLink("h", "evil/etc/passwd"));
        assertEquals(Files.getAttribute(inTarget("etc/passwd"), "unix:ino"), Files.getAttribute(inTarget("h"), "unix:ino"));
        assertEquals(2, Files.getAttribute(inTarget("h"), "unix:nlink"));
        o.assertUntouched();
    }

    @Test
    void hardLinkToSymlinkLinksTheSymlinkItself() throws IOException {
        apply(new TarBuilder().symlink("s", outsideAbs + "/secret").hardLink("h", "s"));
        assertTrue(Files.isSymbolicLink(inTarget("h")));
        assertEquals(outsideAbs + "/secret", Files.readSymbolicLink(inTarget("h")).toString());
        o.assertUntouched();
    }

    @Test
    void hardLinkToDirectoryIsRefused() throws IOException {
        refused(new TarBuilder().dir("d").hardLink("h", "d"), "hard link \"h\" -> \"d\": target is a directory");
        refused(new TarBuilder().hardLink("h", "."), "target is a directory");
        o.assertUntouched();
    }

    @Test
    void overwritingAHardLinkedFileDoesNotWriteThrough() throws IOException {
        apply(new TarBuilder().file("x", "old").hardLink("h", "x").file("x", "new"));
        assertEquals("new", read(inTarget("x")));
        assertEquals("old", read(inTarget("h")));
        o.assertUntouched();
    }

    @Test
    void fileAsParentIsRefused() throws IOException {
        refused(new TarBuilder().file("f", "x").file("f/x", "pwned"), "layer entry \"f/x\": \"f\" is not a directory");
        refused(new TarBuilder().symlink("l", "f").file("l/y", "pwned"), "layer entry \"l/y\": \"f\" is not a directory");
        o.assertUntouched();
    }

    @Test
    void whiteoutsResolveInsideTheRoot() throws IOException {
        apply(new TarBuilder()
                .symlink("evil", outsideAbs)
                .file("evil/.wh.secret", "")
                .symlink("up", "../../../outside")
                .file("up/.wh.secret", "")
                .file("up/.wh..wh..opq", "")
                .file("evil/.wh..wh..opq", ""));
        o.assertUntouched();
    }

    @Test
    void invalidWhiteoutsAreRefused() throws IOException {
        refused(new TarBuilder().dir("d").file("d/.wh..", ""), "layer entry \"d/.wh..\": invalid whiteout name");
        refused(new TarBuilder().file(".wh.", ""), "invalid whiteout name");
        o.assertUntouched();
    }

    @Test
    void entryNameWithControlCharactersIsQuotedInErrors() throws IOException {
        refused(new TarBuilder().file("f", "x").file("f/\n" + o.token, "pwned"), "layer entry \"f/\\x0a" + o.token + "\"");
        o.assertUntouched();
    }
}
