package io.jctr.plugins.runtime.linux.container;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.launch.LaunchRequest;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Containers for root tests of other packages (checkpoint, seccomp): busybox-static bundles with
 * runc's example spec (no terminal, no cgroup mount, stdio to files), a {@link LinuxContainers}
 * over a state directory of their own, and a {@link #close} that force-deletes every container
 * (processes, cgroups, state) and removes the directories, whatever the test did.
 */
public final class TestContainers implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private final Path dir;
    private final LinuxContainers containers;

    /** Containers with bundles and state below {@code dir} (a test's temporary directory). */
    public TestContainers(Path dir) throws IOException {
        this.dir = dir.toRealPath();
        this.containers = new LinuxContainers(new StateDirectory(Files.createDirectories(this.dir.resolve("state"))),
                w -> { });
    }

    /** The containers. */
    public LinuxContainers containers() {
        return containers;
    }

    /** runc's example spec running {@code args}, for {@link #bundle}. */
    public static ObjectNode spec(String... args) {
        ObjectNode spec = (ObjectNode) TestSpecs.tree(new String(TestSpecs.resource("runc-spec.json"),
                StandardCharsets.UTF_8));
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

    /** A bundle {@code dir/name} with a busybox rootfs and {@code spec}; returns its path. */
    public Path bundle(String name, ObjectNode spec) throws IOException {
        Path bundle = Files.createDirectories(dir.resolve(name));
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : List.of("sh", "sleep", "cat", "echo", "true")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        for (String d : List.of("proc", "sys", "dev", "tmp", "etc", "root")) {
            Files.createDirectories(bundle.resolve("rootfs").resolve(d));
        }
        Files.write(bundle.resolve("config.json"), MAPPER.writeValueAsBytes(spec));
        return bundle;
    }

    /** Creates {@code id} from {@code bundle}, detached, stdout and stderr to {@code bundle/out|err}. */
    public void create(String id, Path bundle) throws IOException {
        containers.create(new CreateOptions(id, bundle, null, null, false, 0, false, false,
                new LaunchRequest.Stdio(Path.of("/dev/null"), bundle.resolve("out"), bundle.resolve("err")), null));
    }

    /** Creates and starts {@code id}. */
    public void run(String id, Path bundle) throws IOException {
        create(id, bundle);
        containers.start(id);
    }

    /** The status of {@code id}. */
    public ContainerStatus status(String id) throws IOException {
        return containers.status(containers.record(id));
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (ContainerRecord c : containers.list()) {
            try {
                containers.delete(c.id(), true);
            } catch (IOException | RuntimeException e) {
                failure = failure == null ? new IOException("cleanup of " + c.id(), e) : failure;
            }
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
