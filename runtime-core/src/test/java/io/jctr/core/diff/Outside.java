package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A target directory with a world around it that must never change: {@code base/a/b/target} is
 * the snapshot; {@code base/outside/} (a directory with a secret, an etc/passwd and a
 * subdirectory), {@code base/a/outside-file} and {@code base/a/b/sibling} are sentinels. A
 * {@link #snapshot()} of everything but the target, taken before and after, must be equal.
 */
final class Outside {

    final Path base;
    final Path target;
    final Path dir;
    /** A name no test creates anywhere on purpose: its presence anywhere outside the target is an escape. */
    final String token = "jctr-escape-" + UUID.randomUUID();
    private final Map<String, String> before;

    Outside(Path base) throws IOException {
        this.base = base.toRealPath();
        this.target = Files.createDirectories(this.base.resolve("a/b/target"));
        this.dir = Files.createDirectories(this.base.resolve("outside"));
        Files.writeString(dir.resolve("secret"), "do not touch");
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(this.base.resolve("a/outside-file"), "sentinel");
        Files.writeString(this.base.resolve("a/b/sibling"), "sentinel");
        this.before = snapshot();
    }

    /** Asserts nothing outside the target changed and no file named {@link #token} appeared where an escape would put it. */
    void assertUntouched() throws IOException {
        assertEquals(before, snapshot(), "the world outside the target changed");
        for (Path p : new Path[] {Path.of("/"), Path.of("/tmp"), Path.of("/etc"), base, base.getParent(), dir, dir.resolve("etc")}) {
            assertFalse(Files.exists(p.resolve(token), LinkOption.NOFOLLOW_LINKS), "escaped to " + p.resolve(token));
        }
    }

    /** Path, type, mode, owner, size, link count, mtime, content and link target of everything outside the target. */
    Map<String, String> snapshot() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!p.startsWith(target)) {
                    out.put(base.relativize(p).toString(), describe(p));
                }
            }
        }
        return out;
    }

    private static String describe(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,nlink,lastModifiedTime,ino", LinkOption.NOFOLLOW_LINKS);
            String d = a.get("mode") + " " + a.get("uid") + ":" + a.get("gid") + " size=" + a.get("size") + " nlink=" + a.get("nlink")
                    + " ino=" + a.get("ino") + " mtime=" + a.get("lastModifiedTime");
            if (Files.isSymbolicLink(p)) {
                return d + " -> " + Files.readSymbolicLink(p);
            }
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return d + " content=" + TarBuilder.sha256(Files.readAllBytes(p));
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
