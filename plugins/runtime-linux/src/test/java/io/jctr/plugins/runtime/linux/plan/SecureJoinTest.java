package io.jctr.plugins.runtime.linux.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile trees: nothing may resolve outside the root. */
class SecureJoinTest {

    @TempDir
    Path root;

    @BeforeEach
    void tree() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    }

    @AfterEach
    void removeLinks() throws IOException {
        SymbolicLinks.deleteAll(root);
    }

    @Test
    void plainPathsResolveAsThemselves() throws IOException {
        assertEquals("/etc/passwd", SecureJoin.resolve(root, "/etc/passwd"));
        assertEquals("/etc/passwd", SecureJoin.resolve(root, "etc//./passwd"));
        assertEquals("/", SecureJoin.resolve(root, "/"));
        assertEquals("/", SecureJoin.resolve(root, ""));
        assertEquals(root.resolve("etc/passwd"), SecureJoin.join(root, "/etc/passwd"));
        assertEquals(root, SecureJoin.join(root, "/.."));
    }

    @Test
    void dotDotChainsStopAtTheRoot() throws IOException {
        assertEquals("/etc", SecureJoin.resolve(root, "../../../../../../etc"));
        assertEquals("/etc/passwd", SecureJoin.resolve(root, "/usr/lib/../../../../etc/passwd"));
    }

    @Test
    void absoluteSymlinksRestartAtTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("usr/lib/os-release"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("hostroot"), Path.of("/"));

        assertEquals("/etc/passwd", SecureJoin.resolve(root, "/usr/lib/os-release"));
        assertEquals("/etc/shadow", SecureJoin.resolve(root, "/hostroot/etc/shadow"));
        assertEquals(root.resolve("etc/shadow"), SecureJoin.join(root, "/hostroot/etc/shadow"));
    }

    @Test
    void procPointingAtAHostPathStaysInside() throws IOException {
        Files.createSymbolicLink(root.resolve("proc"), Path.of("/host-path"));

        assertEquals("/host-path", SecureJoin.resolve(root, "/proc"));
        assertEquals("/host-path/sys", SecureJoin.resolve(root, "/proc/sys"));
        assertTrue(SecureJoin.join(root, "/proc").startsWith(root));
    }

    @Test
    void relativeSymlinksClimbingOutAreClamped() throws IOException {
        Files.createSymbolicLink(root.resolve("usr/lib/escape"), Path.of("../../../../../../tmp"));
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));

        assertEquals("/tmp", SecureJoin.resolve(root, "/usr/lib/escape"));
        assertEquals("/tmp/x", SecureJoin.resolve(root, "/usr/lib/escape/x"));
        assertEquals("/etc", SecureJoin.resolve(root, "/up/up/up/etc"));
    }

    @Test
    void dotDotAfterASymlinkWalksFromItsTarget() throws IOException {
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));

        // The kernel's semantics: lib/.. is usr, not the root.
        assertEquals("/usr", SecureJoin.resolve(root, "/lib/.."));
    }

    @Test
    void symlinkTargetsWithDotDotAfterAnAbsoluteStartAreClamped() throws IOException {
        Files.createSymbolicLink(root.resolve("weird"), Path.of("/../../../etc/../../etc/passwd"));

        assertEquals("/etc/passwd", SecureJoin.resolve(root, "/weird"));
    }

    @Test
    void loopsFailAsLoops() throws IOException {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("/a"));
        Files.createSymbolicLink(root.resolve("self"), Path.of("self"));

        assertThrows(FileSystemLoopException.class, () -> SecureJoin.resolve(root, "/a"));
        assertThrows(FileSystemLoopException.class, () -> SecureJoin.resolve(root, "/self/x"));
    }

    @Test
    void aChainOf255LinksResolvesAnd256Fail() throws IOException {
        Files.createDirectories(root.resolve("chain"));
        Files.createDirectories(root.resolve("end"));
        for (int i = 0; i < 256; i++) {
            Files.createSymbolicLink(root.resolve("chain/l" + i), Path.of(i == 0 ? "/end" : "l" + (i - 1)));
        }

        assertEquals("/end", SecureJoin.resolve(root, "/chain/l254"));
        assertThrows(FileSystemLoopException.class, () -> SecureJoin.resolve(root, "/chain/l255"));
    }

    @Test
    void missingComponentsAreTakenLiterally() throws IOException {
        assertEquals("/does/not/exist", SecureJoin.resolve(root, "/does/not/exist"));
        assertEquals("/etc/passwd/x", SecureJoin.resolve(root, "/etc/passwd/x"));
        assertEquals("/etc", SecureJoin.resolve(root, "/missing/../etc"));
    }

    @Test
    void aLinkBeyondAMissingComponentIsNotFollowed() throws IOException {
        Files.createSymbolicLink(root.resolve("etc/link"), Path.of("/usr"));

        assertEquals("/missing/etc/link", SecureJoin.resolve(root, "/missing/etc/link"));
        // but once ".." leaves the missing part, the disk is consulted again
        assertEquals("/usr", SecureJoin.resolve(root, "/missing/../etc/link"));
    }

    @Test
    void componentsBelowAnOpaqueMountPointAreLiteral() throws IOException {
        Files.createDirectories(root.resolve("dev"));
        Files.createSymbolicLink(root.resolve("dev/pts"), Path.of("/etc"));

        assertEquals("/etc", SecureJoin.resolve(root, "/dev/pts"));
        assertEquals("/dev/pts", SecureJoin.resolve(root, "/dev/pts", dir -> SecureJoin.isWithin(dir, "/dev")));
    }

    @Test
    void cleanIsLexical() {
        assertEquals("/a/c", SecureJoin.clean("a/./b/../c/"));
        assertEquals("/", SecureJoin.clean("../.."));
        assertTrue(SecureJoin.isWithin("/dev/pts", "/dev"));
        assertTrue(!SecureJoin.isWithin("/devices", "/dev"));
        assertTrue(SecureJoin.isWithin("/anything", "/"));
    }
}
