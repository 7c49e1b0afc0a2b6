package io.jctr.it;

import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The daemon's memory stays bounded by its stream buffers, not by what it pulls: an image with a
 * 1 GiB layer of random bytes pulls and unpacks with the daemon at {@code -Xmx256m} (and
 * {@code -XX:+ExitOnOutOfMemoryError}, so running out of heap would end the daemon and fail the
 * pull), and the daemon's peak resident size stays far below the layer's size.
 */
@Tag("root")
class SmallHeapPullTest {

    private static final long LAYER_BYTES = 1L << 30;
    /** The heap limit, code, metaspace and buffers: a daemon that held the layer would pass 1 GiB. */
    private static final long PEAK_RSS_LIMIT_KIB = 768L << 10;

    private static JctrDaemon daemon;
    private static LocalRegistry registry;
    private static String ref;
    private static String ballastSha256;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create();
        daemon.environment.put("JCTR_DAEMON_JAVA_OPTS", "-Xms8m -Xmx256m");
        daemon.start();
        Path work = Files.createDirectories(daemon.dir.resolve("image"));
        registry = LocalRegistry.start(Files.createDirectories(daemon.dir.resolve("registry")));
        Path layout = oneLayerImage(work);
        ref = registry.push(layout, "v1", "huge");
        Files.walk(work).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    /** An OCI layout of one uncompressed layer holding /ballast, 1 GiB from /dev/urandom. */
    private static Path oneLayerImage(Path work) throws IOException {
        Path rootfs = Files.createDirectories(work.resolve("rootfs"));
        Path layout = work.resolve("oci");
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        Path tar = work.resolve("layer.tar");
        String script = "head -c " + LAYER_BYTES + " /dev/urandom > " + rootfs.resolve("ballast")
                + " && sha256sum " + rootfs.resolve("ballast") + " | cut -d' ' -f1"
                + " && tar --sort=name --mtime=@0 --owner=0 --group=0 -cf " + tar + " -C " + rootfs + " ."
                + " && rm " + rootfs.resolve("ballast")
                + " && sha256sum " + tar + " | cut -d' ' -f1";
        List<String> sums = run(List.of("sh", "-c", script)).ok().out().lines().toList();
        ballastSha256 = sums.get(0);
        String layerHex = sums.get(1);
        long layerSize = Files.size(tar);
        Files.move(tar, blobs.resolve(layerHex));
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"sha256:" + layerHex + "\"]}}").getBytes();
        String configHex = OciArchive.sha256(config).substring(7);
        Files.write(blobs.resolve(configHex), config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
                + configHex + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:" + layerHex + "\",\"size\":"
                + layerSize + "}]}").getBytes();
        String manifestHex = OciArchive.sha256(manifest).substring(7);
        Files.write(blobs.resolve(manifestHex), manifest);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + manifestHex
                + "\",\"size\":" + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
        return layout;
    }

    @Test
    void aOneGibLayerPullsAndUnpacksWithTheDaemonAt256MibOfHeap() throws Exception {
        var pull = run(jctr(daemon.address(), "-n", "huge", "images", "pull", "--quiet", ref));
        assertEquals(0, pull.exitCode(), pull + "\n" + daemon.log());
        assertTrue(daemon.process().isAlive(), "the daemon survived the pull:\n" + daemon.log());

        Path ballast;
        try (Stream<Path> files = Files.walk(daemon.root)) {
            ballast = files.filter(p -> p.getFileName().toString().equals("ballast")).findFirst()
                    .orElseThrow(() -> new AssertionError("no unpacked /ballast under " + daemon.root));
        }
        assertEquals(LAYER_BYTES, Files.size(ballast));
        String sum = run(List.of("sh", "-c", "sha256sum " + ballast + " | cut -d' ' -f1")).ok().out().strip();
        assertEquals(ballastSha256, sum, "the unpacked file is the one in the image");

        long peakKib = peakRssKib(daemon.process().toHandle());
        System.out.println("daemon peak RSS during a 1 GiB pull at -Xmx256m: " + (peakKib >> 10) + " MiB");
        assertTrue(peakKib < PEAK_RSS_LIMIT_KIB, "daemon peak RSS " + (peakKib >> 10) + " MiB");
    }

    /** VmHWM of the daemon's JVM: bin/jctr may run it as a child of its launcher shell. */
    private static long peakRssKib(ProcessHandle launcher) throws IOException {
        long peak = 0;
        for (ProcessHandle h : Stream.concat(Stream.of(launcher), launcher.descendants()).toList()) {
            Path status = Path.of("/proc", Long.toString(h.pid()), "status");
            if (!Files.exists(status)) {
                continue;
            }
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    peak = Math.max(peak, Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        }
        return peak;
    }
}
