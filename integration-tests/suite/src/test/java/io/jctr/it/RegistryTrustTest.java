package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which registries jctrd trusts, configured in the pull plugin's section: an https registry whose
 * certificate a test CA signed is pulled from only when {@code ca-file} names that CA; plain
 * http is used for loopback, {@code --plain-http} and hosts in {@code insecure-registries}
 * only. Refusals are one actionable line and store nothing; a bad {@code ca-file} is reported
 * naming the file.
 */
@Tag("root")
class RegistryTrustTest {

    private static final String SECTION = "\"io.jctr.transfer.v1.pull-service\"";

    private static Path work;
    private static TestCertificates certs;
    private static LocalRegistry tlsRegistry;
    private static String tlsRef;
    /** Plain http on a non-loopback address of this machine; null when it has none. */
    private static LocalRegistry lanRegistry;
    private static String lanRef;
    /** Configured with ca-file = the test CA and insecure-registries = [the lan registry]. */
    private static JctrDaemon trusting;
    /** No registry configuration at all. */
    private static JctrDaemon defaults;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "jctr-it-trust-");
        certs = TestCertificates.create(work.resolve("certs"), "127.0.0.1");
        tlsRegistry = LocalRegistry.startTls(Files.createDirectories(work.resolve("tls-registry")), certs);
        Path image = BusyboxImage.layout(Files.createDirectories(work.resolve("image")));
        tlsRef = tlsRegistry.push(image, "latest", "busybox");
        Optional<InetAddress> lan = nonLoopbackAddress();
        if (lan.isPresent()) {
            lanRegistry = LocalRegistry.start(Files.createDirectories(work.resolve("lan-registry")), lan.get());
            lanRef = lanRegistry.push(image, "latest", "busybox");
        }
        String insecure = lanRegistry == null ? "[]" : "[\"" + lanRegistry.address + "\"]";
        // assigned before start: a daemon that fails to come up is still stopped and removed by stop()
        trusting = daemonWith("""
                jctr:
                  plugins:
                    %s:
                      ca-file: %s
                      insecure-registries: %s
                """.formatted(SECTION, certs.caCert(), insecure));
        trusting.start();
        defaults = JctrDaemon.create();
        defaults.start();
    }

    @AfterAll
    static void stop() throws Exception {
        // each step on its own: one failing must not leave the others' processes running
        List<AutoCloseable> all = new ArrayList<>();
        for (AutoCloseable c : new AutoCloseable[] {defaults, trusting, lanRegistry, tlsRegistry}) {
            if (c != null) {
                all.add(c);
            }
        }
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        }
        if (work != null) {
            run(List.of("rm", "-rf", work.toString()));
        }
    }

    /** A daemon (not started) whose --config file holds {@code yaml}. */
    private static JctrDaemon daemonWith(String yaml) throws IOException {
        JctrDaemon d = JctrDaemon.create();
        Path config = d.dir.resolve("config.yaml");
        Files.writeString(config, yaml);
        return d.withConfig(config);
    }

    /** The first IPv4 address of an interface that is up and not loopback (docker-registry binds to it). */
    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(RegistryTrustTest::upAndNotLoopback)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }

    private static boolean upAndNotLoopback(NetworkInterface i) {
        try {
            return i.isUp() && !i.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    private static Commands.Result jctrOn(JctrDaemon d, String ns, String... args) {
        List<String> c = jctr(d.address(), "-n", ns);
        c.addAll(List.of(args));
        return run(c);
    }

    private static Commands.Result ctrOn(JctrDaemon d, String ns, String... args) {
        List<String> c = ctr(d.address(), "-n", ns);
        c.addAll(List.of(args));
        return run(c);
    }

    /** A refused pull is one line on stderr, exit code 1. */
    private static String oneLineError(Commands.Result r, JctrDaemon d) {
        assertEquals(1, r.exitCode(), r + "\n" + d.log());
        assertEquals(1, r.err().lines().count(), r.toString());
        assertTrue(r.err().startsWith("jctr: "), r.toString());
        return r.err().strip();
    }

    /** Nothing of a failed pull is left in namespace {@code ns}: no image, blob, ingest, lease or snapshot. */
    private static void nothingStored(JctrDaemon d, String ns) {
        assertEquals("", ctrOn(d, ns, "images", "ls", "-q").ok().out(), "no image record");
        assertEquals("", ctrOn(d, ns, "content", "ls", "-q").ok().out(), "no blob");
        assertTrue(ctrOn(d, ns, "content", "active").ok().out().lines().count() <= 1, "no ingest (header only)");
        assertTrue(ctrOn(d, ns, "leases", "ls").ok().out().lines().count() <= 1, "no lease (header only)");
        assertTrue(ctrOn(d, ns, "snapshots", "ls").ok().out().lines().count() <= 1, "no snapshot (header only)");
    }

    /** The pulled image is complete, unpacked, and its busybox runs from the mounted snapshot. */
    private static void unpackedAndRuns(JctrDaemon d, String ns, String ref) throws IOException {
        assertTrue(ctrOn(d, ns, "images", "check").ok().out().contains("complete"), "ctr sees the image complete");
        String chain = ctrOn(d, ns, "snapshots", "ls").ok().out().lines().filter(l -> l.startsWith("sha256:"))
                .findFirst().orElseThrow(() -> new AssertionError("no committed snapshot for " + ref)).split("\\s+")[0];
        ctrOn(d, ns, "snapshots", "view", "look", chain).ok();
        Path mnt = Files.createDirectories(d.dir.resolve("look-" + ns));
        run(List.of("sh", "-c", ctrOn(d, ns, "snapshots", "mounts", mnt.toString(), "look").ok().out().trim())).ok();
        try {
            assertEquals("hello from " + ns + "\n",
                    run(List.of("chroot", mnt.toString(), "/bin/sh", "-c", "echo hello from " + ns)).ok().out());
        } finally {
            run(List.of("umount", mnt.toString())).ok();
        }
        ctrOn(d, ns, "snapshots", "rm", "look").ok();
    }

    @Test
    void httpsPullSucceedsWhenCaFileNamesTheRegistrysCa() throws IOException {
        var pull = jctrOn(trusting, "tls", "images", "pull", tlsRef);
        assertEquals(0, pull.exitCode(), pull + "\n" + trusting.log());
        assertTrue(ctrOn(trusting, "tls", "images", "ls", "-q").ok().out().lines().anyMatch(tlsRef::equals));
        unpackedAndRuns(trusting, "tls", tlsRef);
    }

    @Test
    void withoutTheCaTheHttpsPullFailsNamingTheCertificateAndCaFile() {
        // loopback may fall back to http, but an untrusted certificate must not be taken for "no TLS here"
        String err = oneLineError(jctrOn(defaults, "untrusted", "images", "pull", tlsRef), defaults);
        assertTrue(err.contains("registry " + tlsRegistry.address), err);
        assertTrue(err.contains("certificate"), err);
        assertTrue(err.contains("ca-file"), err);
        nothingStored(defaults, "untrusted");
    }

    @Test
    void aMissingCaFileIsReportedNamingTheFile() throws Exception {
        Path missing = work.resolve("no-such-ca.pem");
        assertBadCaFileReported(missing, "no such file");
    }

    @Test
    void aCaFileWithoutACertificateIsReportedNamingTheFile() throws Exception {
        Path keyOnly = certs.serverKey(); // a PEM file, but a key: the classic mix-up
        assertBadCaFileReported(keyOnly, "holds no PEM certificate");
    }

    private static void assertBadCaFileReported(Path caFile, String problem) throws Exception {
        String section = """
                    %s:
                      ca-file: %s
                """.formatted(SECTION, caFile);
        String expected = "ca-file " + caFile + ": " + problem;
        // by default a failing plugin does not stop the daemon: the error is the plugin's status
        try (JctrDaemon d = daemonWith("jctr:\n  plugins:\n" + section)) {
            d.start();
            var plugins = run(jctr(d.address(), "plugins", "ls", "-d", "id==pull-service")).ok();
            assertTrue(plugins.out().contains("Status:        error"), plugins.toString());
            assertTrue(plugins.out().contains(expected), plugins.toString());
            assertTrue(d.log().contains(expected), "the daemon's log says it too:\n" + d.log());
            String err = oneLineError(jctrOn(d, "bad-ca", "images", "pull", tlsRef), d);
            assertTrue(err.contains("does not serve jctr.services.pull.v1.Pull") && err.contains("jctr plugins ls -d"),
                    "the pull points at the failed plugin: " + err);
            nothingStored(d, "bad-ca");
        }
        // required, the plugin's error stops the daemon before it serves anything
        try (JctrDaemon d = daemonWith("jctr:\n  required-plugins: [io.jctr.transfer.v1.pull-service]\n  plugins:\n" + section)) {
            var r = run(d.command());
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.err().contains(expected), r.toString());
            assertTrue(Files.notExists(d.socket), "never listened");
        }
    }

    @Test
    void plainHttpToANonLoopbackRegistryIsRefusedByDefault() {
        assumeTrue(lanRegistry != null, "this machine has no non-loopback IPv4 address");
        String err = oneLineError(jctrOn(defaults, "lan-refused", "images", "pull", lanRef), defaults);
        assertTrue(err.contains("registry " + lanRegistry.address), err);
        assertTrue(err.contains("--plain-http") && err.contains("insecure-registries"), err);
        nothingStored(defaults, "lan-refused");
    }

    @Test
    void plainHttpToANonLoopbackRegistryIsUsedWhenListedOrAskedFor() throws IOException {
        assumeTrue(lanRegistry != null, "this machine has no non-loopback IPv4 address");
        var listed = jctrOn(trusting, "lan-listed", "images", "pull", lanRef);
        assertEquals(0, listed.exitCode(), listed + "\n" + trusting.log());
        unpackedAndRuns(trusting, "lan-listed", lanRef);

        var flag = jctrOn(defaults, "lan-flag", "images", "pull", "--plain-http", lanRef);
        assertEquals(0, flag.exitCode(), flag + "\n" + defaults.log());
        unpackedAndRuns(defaults, "lan-flag", lanRef);
    }
}
