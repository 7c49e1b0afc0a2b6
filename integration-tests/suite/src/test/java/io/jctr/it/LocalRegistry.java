package io.jctr.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry on a free port (loopback unless asked otherwise, plain http unless
 * given certificates) with its storage in a test directory; images are pushed to it with skopeo.
 * {@link #close} stops it.
 */
final class LocalRegistry implements AutoCloseable {

    final String address;
    private final Process process;
    /** skopeo's --dest-cert-dir for a TLS registry; null: pushes skip TLS verification. */
    private final Path certDir;

    private LocalRegistry(String address, Process process, Path certDir) {
        this.address = address;
        this.process = process;
        this.certDir = certDir;
    }

    static LocalRegistry start(Path dir) throws IOException, InterruptedException {
        return start(dir, InetAddress.getLoopbackAddress(), null);
    }

    /** Plain http on {@code ip} (an IPv4 address of this machine). */
    static LocalRegistry start(Path dir, InetAddress ip) throws IOException, InterruptedException {
        return start(dir, ip, null);
    }

    /** https on 127.0.0.1 with {@code certs}' server certificate; pushes verify it against its CA. */
    static LocalRegistry startTls(Path dir, TestCertificates certs) throws IOException, InterruptedException {
        return start(dir, InetAddress.getLoopbackAddress(), certs);
    }

    private static LocalRegistry start(Path dir, InetAddress ip, TestCertificates certs) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, ip)) {
            port = s.getLocalPort();
        }
        String host = ip.getHostAddress();
        String address = host + ":" + port;
        Path config = dir.resolve("registry.yml");
        String tls = certs == null ? "" : """
                  tls:
                    certificate: %s
                    key: %s
                """.formatted(certs.serverCert(), certs.serverKey());
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: %s
                """.formatted(dir.resolve("storage"), address) + tls);
        Process p = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, port), 200);
                return new LocalRegistry(address, p, certs == null ? null : certs.certDir());
            } catch (IOException notYet) {
                Thread.sleep(20); // polling for the port; the registry gives no readiness signal
            }
        }
        p.destroyForcibly();
        throw new AssertionError("docker-registry did not listen on " + address);
    }

    /** Pushes the OCI layout at {@code layout} (tag {@code tag}) as {@code repo:tag}. */
    String push(Path layout, String tag, String repo) {
        String ref = address + "/" + repo + ":" + tag;
        String tls = certDir == null ? "--dest-tls-verify=false" : "--dest-cert-dir=" + certDir;
        Commands.run(List.of("skopeo", "copy", "--quiet", tls, "oci:" + layout + ":" + tag, "docker://" + ref)).ok();
        return ref;
    }

    @Override
    public void close() {
        process.destroy();
        process.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(timeout -> {
            process.destroyForcibly();
            return process;
        }).join();
        process.onExit().join();
    }
}
