package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code jctr snapshots} on the snapshots of a busybox image ctr pulled into jctrd: every
 * command is checked against what {@code ctr snapshots} prints for the same keys, and the mount
 * commands it prints are run to see the image's rootfs.
 */
@Tag("root")
class JctrSnapshotsTest {

    private static final String NS = "jctr-snapshots";
    private static final Pattern USAGE_ROW = Pattern.compile("(?m)^(\\S+)\\s+(\\S+(?: \\S+)?)\\s+(\\d+)\\s*$");

    private static JctrDaemon daemon;
    private static LocalRegistry registry;
    private static String layer;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create().start();
        Path work = Files.createDirectories(daemon.dir.resolve("registry"));
        registry = LocalRegistry.start(work);
        String ref = registry.push(BusyboxImage.layout(work), "latest", "busybox");
        run(ctr(daemon.address(), "-n", NS, "images", "pull", "--plain-http", ref)).ok();
        Matcher m = Pattern.compile("(?m)^(sha256:[0-9a-f]{64})\\s+-\\s+Committed$").matcher(run(snap("ls")).ok().out());
        assertTrue(m.find(), "no committed layer in " + run(snap("ls")));
        layer = m.group(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        daemon.close();
    }

    private static List<String> snap(String... args) {
        List<String> c = new ArrayList<>(jctr(daemon.address(), "-n", NS, "snapshots"));
        c.addAll(List.of(args));
        return c;
    }

    private static List<String> ctrSnap(String... args) {
        List<String> c = new ArrayList<>(ctr(daemon.address(), "-n", NS, "snapshots", "--snapshotter", "overlayfs"));
        c.addAll(List.of(args));
        return c;
    }

    /** KEY to "PARENT KIND" from either listing (jctr prints '-' for no parent, ctr nothing). */
    private static Map<String, String> rows(String listing) {
        Map<String, String> m = new LinkedHashMap<>();
        listing.lines().skip(1).map(String::trim).map(l -> l.split("\\s+")).forEach(f -> m.put(f[0],
                f.length == 2 ? "- " + f[1] : f[1] + " " + f[2]));
        return m;
    }

    private static Map<String, String> usage(String listing) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher r = USAGE_ROW.matcher(listing);
        while (r.find()) {
            m.put(r.group(1), r.group(2) + " " + r.group(3));
        }
        return m;
    }

    /** Runs the mount commands {@code lines} prints, then {@code body}, then unmounts {@code target}. */
    private static void mounted(String lines, Path target, Runnable body) throws Exception {
        Files.createDirectories(target);
        assertTrue(lines.startsWith("mount -t "), lines);
        run(List.of("sh", "-c", lines)).ok();
        try {
            body.run();
        } finally {
            run(List.of("umount", target.toString())).ok();
        }
    }

    @Test
    void everyCommandAgreesWithCtr() throws Exception {
        assertEquals(rows(run(ctrSnap("ls")).ok().out()), rows(run(snap("ls")).ok().out()));

        Path work = daemon.dir.resolve("mnt-work");
        var prepare = run(snap("prepare", "--target", work.toString(), "--label", "purpose=test", "work", layer)).ok();
        mounted(prepare.out(), work, () -> {
            assertTrue(Files.isRegularFile(work.resolve("bin/busybox")), "no /bin/busybox in " + work);
            write(work.resolve("hello.txt"), "from work\n");
        });
        var info = run(snap("info", "work")).ok();
        assertEquals(run(ctrSnap("info", "work")).ok().out(), info.out());
        assertTrue(info.out().contains("\"purpose\": \"test\"") && info.out().contains("\"containerd.io/gc.root\""), info.toString());

        run(snap("commit", "top", "work")).ok();
        var ls = run(snap("ls")).ok();
        assertEquals(layer + " Committed", rows(ls.out()).get("top"), ls.toString());
        assertFalse(rows(ls.out()).containsKey("work"), ls.toString());
        assertEquals(rows(run(ctrSnap("ls")).ok().out()), rows(ls.out()));

        var view = run(snap("view", "--mounts", "look", "top")).ok();
        assertEquals(run(ctrSnap("info", "look")).ok().out(), run(snap("info", "look")).ok().out());
        assertTrue(view.out().startsWith("[\n    {\n        \"Type\": \"overlay\""), view.toString());
        Path look = daemon.dir.resolve("mnt-look");
        var mounts = run(snap("mounts", look.toString(), "look")).ok();
        assertEquals(run(ctrSnap("mounts", look.toString(), "look")).ok().out(), mounts.out());
        mounted(mounts.out(), look, () -> {
            assertTrue(Files.isRegularFile(look.resolve("bin/busybox")), "no /bin/busybox in " + look);
            assertEquals("from work\n", read(look.resolve("hello.txt")));
        });

        assertEquals(run(ctrSnap("tree")).ok().out(), run(snap("tree")).ok().out());
        assertEquals(usage(run(ctrSnap("usage")).ok().out()), usage(run(snap("usage")).ok().out()));
        var bytes = usage(run(snap("usage", "-b", "top", layer)).ok().out());
        assertEquals(usage(run(ctrSnap("usage", "-b", "top", layer)).ok().out()), bytes);
        assertTrue(Long.parseLong(bytes.get(layer).split(" ")[0]) > Files.size(Path.of("/bin/busybox")), bytes.toString());

        assertTrue(run(snap("label", "top", "owner=it")).ok().out().contains("owner=it"));
        assertTrue(run(ctrSnap("info", "top")).ok().out().contains("\"owner\": \"it\""));
        assertFalse(run(snap("label", "top", "owner=")).ok().out().contains("owner"));
        assertEquals(run(ctrSnap("info", "top")).ok().out(), run(snap("info", "top")).ok().out());

        var rm = run(snap("rm", "look", "top")).ok();
        assertEquals("", rm.out());
        var after = rows(run(snap("ls")).ok().out());
        assertFalse(after.containsKey("look") || after.containsKey("top"), after.toString());
        assertEquals(rows(run(ctrSnap("ls")).ok().out()), after);
    }

    @Test
    void failuresAreOneLineAndExitOne() {
        assertOneLine(run(snap("info", "no-such-key")), "jctr: snapshot \"no-such-key\": not found");
        assertOneLine(run(snap("mounts", "/mnt", "no-such-key")), "jctr: snapshot \"no-such-key\": not found");
        assertOneLine(run(snap("rm", "no-such-key")), "jctr: failed to remove \"no-such-key\": snapshot \"no-such-key\": not found");
        run(snap("prepare", "held", layer)).ok();
        try {
            assertOneLine(run(snap("prepare", "held", layer)), "jctr: snapshot \"held\": already exists");
            var busy = run(snap("rm", layer));
            assertOneLine(busy, null);
            assertTrue(busy.err().startsWith("jctr: failed to remove \"" + layer + "\": ")
                    && busy.err().trim().endsWith("failed precondition"), busy.toString());
            assertOneLine(run(snap("commit", "c", "no-such-key")), null);
        } finally {
            run(snap("rm", "held")).ok();
        }
        var usage = run(snap("prepare"));
        assertEquals(2, usage.exitCode(), usage.toString());
    }

    private static void assertOneLine(Commands.Result r, String expected) {
        assertEquals(1, r.exitCode(), r.toString());
        assertEquals("", r.out(), r.toString());
        assertEquals(1, r.err().lines().count(), r.toString());
        if (expected != null) {
            assertEquals(expected, r.err().trim(), r.toString());
        }
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
