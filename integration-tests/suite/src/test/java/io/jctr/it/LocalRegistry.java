package io.jctr.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry on a free loopback port with its storage in a test directory; images
 * are pushed to it with skopeo. {@link #close} stops it.
 */
final class LocalRegistry implements AutoCloseable {

    final String address;
    private final Process process;

    private LocalRegistry(String address, Process process) {
        this.address = address;
        this.process = process;
    }

    static LocalRegistry start(Path dir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        Path config = dir.resolve("registry.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: %s
                """.formatted(dir.resolve("storage"), address));
        Process p = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new LocalRegistry(address, p);
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
        Commands.run(List.of("skopeo", "copy", "--quiet", "--dest-tls-verify=false",
                "oci:" + layout + ":" + tag, "docker://" + ref)).ok();
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
