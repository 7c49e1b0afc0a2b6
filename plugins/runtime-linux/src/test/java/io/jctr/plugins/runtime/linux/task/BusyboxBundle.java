package io.jctr.plugins.runtime.linux.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An OCI bundle for tests and the benchmark: runc's example spec ({@code runc spec}, read-only
 * root) without a terminal and without the cgroup mount, over a rootfs of busybox-static with its
 * applet links.
 */
final class BusyboxBundle {

    static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static List<String> applets;

    private BusyboxBundle() {
    }

    /** Fills {@code rootfs} with busybox, its applets and the usual empty directories. */
    static void rootfs(Path rootfs) throws IOException {
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : applets()) {
            if (!applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        }
        for (String dir : List.of("proc", "sys", "dev", "tmp", "etc", "root")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
    }

    /** Writes {@code bundle/config.json} running {@code args}; returns the spec for further edits. */
    static ObjectNode config(Path bundle, String... args) throws IOException {
        ObjectNode spec = spec(args);
        write(bundle, spec);
        return spec;
    }

    static void write(Path bundle, ObjectNode spec) throws IOException {
        Files.createDirectories(bundle);
        Files.write(bundle.resolve("config.json"), MAPPER.writeValueAsBytes(spec));
    }

    /** runc's example spec running {@code args}, without a terminal and the cgroup mount. */
    static ObjectNode spec(String... args) throws IOException {
        ObjectNode spec;
        try (var in = BusyboxBundle.class.getResourceAsStream("/io/jctr/plugins/runtime/linux/spec/runc-spec.json")) {
            spec = (ObjectNode) MAPPER.readTree(in);
        }
        ObjectNode process = (ObjectNode) spec.get("process");
        process.put("terminal", false);
        process.set("args", MAPPER.valueToTree(args));
        ArrayNode mounts = (ArrayNode) spec.get("mounts");
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).get("type").asText().equals("cgroup")) {
                mounts.remove(i);
            }
        }
        return spec;
    }

    /** The spec's process object running {@code args}, as JSON, for an exec. */
    static String process(String... args) throws IOException {
        ObjectNode process = (ObjectNode) spec(args).get("process");
        return MAPPER.writeValueAsString(process);
    }

    private static synchronized List<String> applets() throws IOException {
        if (applets == null) {
            Process p = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
            applets = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        return applets;
    }
}
