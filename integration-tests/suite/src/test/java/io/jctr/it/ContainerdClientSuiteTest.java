package io.jctr.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * containerd 1.6's own contract suites, run with its unmodified Go client library: its
 * {@code content/testsuite} (through the client's content proxy; its cross-namespace cases under
 * containerd's default shared content policy too), its {@code snapshots/testsuite}
 * on both snapshotters, and the start-up of a client whose namespace is new. The Go program
 * ({@code src/test/go/containerd-suite}) is built from Debian's golang-github-containerd-containerd-dev
 * without a network (GOPATH mode). It runs against Debian's containerd first, which proves the
 * harness (a case containerd fails is the harness's fault), then against jctrd; each run gets a
 * fresh daemon, so one suite's leftovers cannot decide another's outcome.
 */
@Tag("root")
class ContainerdClientSuiteTest {

    private static final Path GOCODE = Path.of("/usr/share/gocode/src/github.com/containerd/containerd");
    private static final Path SOURCE = Path.of("src/test/go/containerd-suite/suite_test.go").toAbsolutePath();
    /** Case counts of containerd 1.6.20's suites, so that a case skipped or gone cannot pass unseen. */
    private static final int CONTENT_CASES = 12;
    private static final int CROSS_NAMESPACE_CASES = 2;
    private static final int SNAPSHOT_CASES = 20; // and Rename, which the suite itself always skips ("fails on some kernels")

    private static Path dir;
    private static Path binary;

    @BeforeAll
    static void build() throws Exception {
        assertTrue(Files.isDirectory(GOCODE.resolve("content/testsuite")),
                "containerd's Go sources are missing: apt-get install golang-github-containerd-containerd-dev");
        dir = Files.createTempDirectory(Path.of("/tmp"), "jctr-containerd-suite-");
        Path pkg = Files.createDirectories(dir.resolve("gopath/src/jctrsuite"));
        Files.copy(SOURCE, pkg.resolve("suite_test.go"));
        binary = dir.resolve("suite.test");
        // the build cache stays in target/, so a second run of the class does not compile containerd again
        Path cache = Files.createDirectories(Path.of("target/go-build-cache").toAbsolutePath());
        ProcessBuilder pb = new ProcessBuilder("go", "test", "-c", "-o", binary.toString(), ".").directory(pkg.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("build.log").toFile());
        pb.environment().putAll(Map.of("GO111MODULE", "off", "GOPATH", dir.resolve("gopath") + ":/usr/share/gocode",
                "GOCACHE", cache.toString(), "GOFLAGS", ""));
        Process go = pb.start();
        assertTrue(go.waitFor(10, TimeUnit.MINUTES), "go build did not finish in 10 minutes");
        assertEquals(0, go.exitValue(), () -> "go test -c failed:\n" + read(dir.resolve("build.log")));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (dir == null) {
            return;
        }
        List<String> mounts = mountsUnder(dir);
        for (String m : mounts) {
            Commands.run(List.of("umount", "-l", m));
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertEquals(List.of(), mounts, "mounts left by the suites");
    }

    // ---- the reference: containerd itself ----

    @Test
    void containerdPassesItsOwnContentSuite() throws Exception {
        try (Daemon d = Daemon.containerd(dir)) {
            assertPasses(d, "TestContentSuite", "", CONTENT_CASES);
            assertPasses(d, "TestContentCrossNamespaceSuite", "", CROSS_NAMESPACE_CASES);
        }
    }

    @Test
    void containerdPassesItsOwnSnapshotSuite() throws Exception {
        try (Daemon d = Daemon.containerd(dir)) {
            assertPasses(d, "TestSnapshotterSuite", "overlayfs", SNAPSHOT_CASES);
            assertPasses(d, "TestSnapshotterSuite", "native", SNAPSHOT_CASES);
        }
    }

    @Test
    void containerdClientStartsInAFreshNamespace() throws Exception {
        try (Daemon d = Daemon.containerd(dir)) {
            assertPasses(d, "TestClientStartUp", "", 0);
        }
    }

    // ---- jctrd ----

    @Test
    void jctrdPassesContainerdsContentSuite() throws Exception {
        try (Daemon d = Daemon.jctrd()) {
            assertPasses(d, "TestContentSuite", "", CONTENT_CASES);
            assertPasses(d, "TestContentCrossNamespaceSuite", "", CROSS_NAMESPACE_CASES);
        }
    }

    @Test
    void jctrdPassesContainerdsSnapshotSuite() throws Exception {
        try (Daemon d = Daemon.jctrd()) {
            assertPasses(d, "TestSnapshotterSuite", "overlayfs", SNAPSHOT_CASES);
            assertPasses(d, "TestSnapshotterSuite", "native", SNAPSHOT_CASES);
        }
    }

    /** The Go client's start-up: a fresh default namespace is read, then labelled (which creates it). */
    @Test
    void goClientStartsAgainstJctrdInAFreshNamespace() throws Exception {
        try (Daemon d = Daemon.jctrd()) {
            assertPasses(d, "TestClientStartUp", "", 0);
        }
    }

    /**
     * Runs one Go test function of the suite program and asserts that it and exactly
     * {@code cases} subtests passed (no case failed or was skipped, except the snapshot suite's
     * own skip of Rename).
     */
    private static void assertPasses(Daemon daemon, String test, String snapshotter, int cases) throws Exception {
        Path tmp = Files.createTempDirectory(dir, "go-tmp-");
        Path log = Files.createTempFile(dir, test + "-", ".log");
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "-test.v", "-test.count=1", "-test.run", "^" + test + "$")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("CONTAINERD_SUITE_ADDRESS", daemon.socket(), "SNAPSHOTTER", snapshotter,
                "TMPDIR", tmp.toString()));
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(test + " against " + daemon + " did not finish in 5 minutes:\n" + summary(log));
        }
        String out = read(log);
        String where = test + (snapshotter.isEmpty() ? "" : " (" + snapshotter + ")") + " against " + daemon;
        assertEquals(0, p.exitValue(), () -> where + " failed:\n" + summary(log) + "\ndaemon log:\n" + daemon.log());
        assertTrue(out.contains("--- PASS: " + test + " "), () -> where + " did not pass:\n" + summary(log));
        assertEquals(cases, count(out, "--- PASS: " + test + "/"), () -> where + ": cases passed\n" + summary(log));
        assertEquals(0, count(out, "--- FAIL"), () -> where + ": cases failed\n" + summary(log));
        int skipped = test.equals("TestSnapshotterSuite") ? 1 : 0;
        assertEquals(skipped, count(out, "--- SKIP: "), () -> where + ": cases skipped\n" + summary(log));
        assertEquals(List.of(), mountsUnder(tmp), where + ": mounts left");
    }

    /** Lines that start with {@code prefix} after their indentation (subtests are indented). */
    private static int count(String out, String prefix) {
        int n = 0;
        for (String line : out.split("\n")) {
            if (line.strip().startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    /** The outcome lines and the failure messages of a run, without containerd's debug logging. */
    private static String summary(Path log) {
        StringBuilder b = new StringBuilder();
        Pattern noise = Pattern.compile("^\\s*(=== (RUN|PAUSE|CONT)|.*level=debug|.*helpers.go:\\d+: [d-]r).*");
        for (String line : read(log).split("\n")) {
            Matcher m = noise.matcher(line);
            if (!m.matches()) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    private static List<String> mountsUnder(Path root) throws IOException {
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String target = line.split(" ")[4];
            if (target.startsWith(root.toString())) {
                mounts.add(target);
            }
        }
        mounts.sort(Comparator.reverseOrder());
        return mounts;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + p + ": " + e + ")";
        }
    }

    /** A daemon under test: containerd (the reference) or jctrd, stopped and removed by close. */
    private interface Daemon extends AutoCloseable {
        String socket();

        String log();

        @Override
        void close() throws IOException;

        static Daemon jctrd() throws Exception {
            JctrDaemon d = JctrDaemon.create().start();
            return new Daemon() {
                public String socket() {
                    return d.address();
                }

                public String log() {
                    return d.log();
                }

                public void close() throws IOException {
                    d.close();
                }

                @Override
                public String toString() {
                    return "jctrd";
                }
            };
        }

        static Daemon containerd(Path parent) throws Exception {
            Path home = Files.createTempDirectory(parent, "containerd-");
            Path socket = home.resolve("containerd.sock");
            Path config = home.resolve("config.toml");
            Files.writeString(config, String.join("\n",
                    "version = 2",
                    "root = \"" + home.resolve("root") + "\"",
                    "state = \"" + home.resolve("state") + "\"",
                    "disabled_plugins = [\"io.containerd.grpc.v1.cri\", \"io.containerd.snapshotter.v1.aufs\","
                            + " \"io.containerd.snapshotter.v1.btrfs\", \"io.containerd.snapshotter.v1.zfs\","
                            + " \"io.containerd.snapshotter.v1.devmapper\"]",
                    "[grpc]", "  address = \"" + socket + "\"",
                    "[ttrpc]", "  address = \"" + socket + ".ttrpc\"", ""));
            Path log = home.resolve("containerd.log");
            Process p = new ProcessBuilder("containerd", "--config", config.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Daemon d = new Daemon() {
                public String socket() {
                    return socket.toString();
                }

                public String log() {
                    String all = read(log);
                    return all.length() > 4000 ? all.substring(all.length() - 4000) : all;
                }

                public void close() throws IOException {
                    p.destroy();
                    try {
                        if (!p.waitFor(30, TimeUnit.SECONDS)) {
                            p.destroyForcibly().waitFor();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        p.destroyForcibly();
                    }
                    for (String m : mountsUnder(home)) {
                        Commands.run(List.of("umount", "-l", m));
                    }
                }

                @Override
                public String toString() {
                    return "containerd";
                }
            };
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!accepts(socket)) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    d.close();
                    throw new AssertionError("containerd did not start:\n" + read(log));
                }
                Thread.sleep(20); // polling for the socket; there is no readiness signal to wait on
            }
            return d;
        }

        private static boolean accepts(Path socket) {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
