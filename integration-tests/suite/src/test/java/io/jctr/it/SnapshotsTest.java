package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * containerd's snapshots API through ctr on both snapshotters: prepare, mount what the daemon
 * hands out (ctr prints the mount command; the test runs it), commit, stack a child on the
 * committed parent, view, usage, and the errors ctr relies on.
 */
@Tag("root")
class SnapshotsTest {

    private static JctrDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    private static List<String> snap(String snapshotter, String... args) {
        List<String> c = new ArrayList<>(ctr(daemon.address(), "-n", "snap-" + snapshotter, "snapshots", "--snapshotter", snapshotter));
        c.addAll(List.of(args));
        return c;
    }

    /** Mounts KEY at a fresh directory with the command ctr prints, runs {@code body}, unmounts. */
    private static void withMounted(String snapshotter, String key, Path target, Runnable body) throws Exception {
        Files.createDirectories(target);
        var m = run(snap(snapshotter, "mounts", target.toString(), key)).ok();
        String cmd = m.out().trim();
        assertTrue(cmd.startsWith("mount "), m.toString());
        run(List.of("sh", "-c", cmd)).ok();
        try {
            body.run();
        } finally {
            run(List.of("umount", target.toString())).ok();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "overlayfs"})
    void prepareMountCommitStackAndRemove(String s) throws Exception {
        Path work = Files.createDirectories(daemon.dir.resolve("mnt-" + s));
        run(snap(s, "prepare", "base-active")).ok();
        withMounted(s, "base-active", work.resolve("a"), () -> write(work.resolve("a/hello.txt"), "from the base\n"));
        run(snap(s, "commit", "base", "base-active")).ok();

        run(snap(s, "prepare", "child", "base")).ok();
        withMounted(s, "child", work.resolve("b"), () -> {
            assertEquals("from the base\n", read(work.resolve("b/hello.txt")));
            write(work.resolve("b/child.txt"), "only in the child\n");
        });
        run(snap(s, "view", "look", "base")).ok();

        var ls = run(snap(s, "ls")).ok();
        assertTrue(Pattern.compile("(?m)^base\\s+Committed").matcher(ls.out()).find(), ls.toString());
        assertTrue(Pattern.compile("(?m)^child\\s+base\\s+Active").matcher(ls.out()).find(), ls.toString());
        assertTrue(Pattern.compile("(?m)^look\\s+base\\s+View").matcher(ls.out()).find(), ls.toString());
        var info = run(snap(s, "info", "child")).ok();
        assertTrue(info.out().contains("\"Parent\": \"base\""), info.toString());
        var usage = run(snap(s, "usage", "base")).ok();
        assertTrue(usage.out().contains("base"), usage.toString());

        // the errors ctr's clients branch on
        var dup = run(snap(s, "prepare", "child", "base"));
        assertEquals(1, dup.exitCode(), dup.toString());
        assertTrue(dup.err().contains("snapshot \"child\": already exists"), dup.toString());
        var orphan = run(snap(s, "prepare", "x", "no-such-parent"));
        assertTrue(orphan.exitCode() != 0 && orphan.err().contains("not found"), orphan.toString());
        var busy = run(snap(s, "rm", "base"));
        assertTrue(busy.exitCode() != 0 && busy.err().contains("failed precondition"), busy.toString());
        var other = run(ctr(daemon.address(), "-n", "elsewhere", "snapshots", "--snapshotter", s, "info", "base"));
        assertTrue(other.exitCode() != 0 && other.err().contains("not found"), other.toString());

        run(snap(s, "rm", "look", "child")).ok();
        run(snap(s, "rm", "base")).ok();
        assertFalse(run(snap(s, "ls")).ok().out().contains("base"));
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
