package io.jctr.plugins.runtime.linux.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.cgroups.CgroupLayout;
import io.jctr.plugins.runtime.linux.cgroups.OomWatch;
import io.jctr.plugins.runtime.linux.checkpoint.Checkpoints;
import io.jctr.plugins.runtime.linux.container.Caller;
import io.jctr.plugins.runtime.linux.container.ContainerRecord;
import io.jctr.plugins.runtime.linux.container.ContainerStatus;
import io.jctr.plugins.runtime.linux.container.CreateOptions;
import io.jctr.plugins.runtime.linux.container.ExecOptions;
import io.jctr.plugins.runtime.linux.container.GoJson;
import io.jctr.plugins.runtime.linux.container.LinuxContainers;
import io.jctr.plugins.runtime.linux.launch.LaunchRequest;
import io.jctr.plugins.runtime.linux.launch.Launched;
import io.jctr.plugins.runtime.linux.shim.ShimClient;
import io.jctr.plugins.runtime.linux.shim.ShimStarter;
import io.jctr.plugins.runtime.linux.shim.ShimStdio;
import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.plugins.runtime.linux.spec.SpecParser;
import io.jctr.spi.JctrException;
import io.jctr.spi.metrics.CgroupStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * jctr's own engine: the namespace's {@link LinuxContainers}, with every helper forked by the
 * task's shim ({@link ShimStarter}) so that the container's processes are the shim's.
 * Thread-safe.
 */
final class NativeEngine implements TaskEngine {

    private static final ObjectMapper MAPPER = GoJson.MAPPER;
    private static volatile int cgroupVersion;

    private final LinuxContainers containers;
    private final Consumer<String> warnings;

    NativeEngine(LinuxContainers containers, Consumer<String> warnings) {
        this.containers = containers;
        this.warnings = warnings;
    }

    @Override
    public Created create(String id, String cgroupsPath, Path bundle, ShimStdio stdio, ShimStarter.ShimSource shim)
            throws IOException {
        ShimStarter starter = new ShimStarter(shim, stdio);
        Launched launched = launching(starter).create(new CreateOptions(id, bundle, null, consoleSocket(stdio), false,
                0, false, false, LaunchRequest.Stdio.INHERIT, cgroupsPath));
        try {
            starter.client().associate(starter.spawned(), launched.pid());
            ContainerRecord record = containers.record(id);
            return new Created(launched.pid(), record.pidStartTime(), starter.client());
        } catch (IOException | RuntimeException e) {
            try {
                containers.delete(id, true);
            } catch (IOException | RuntimeException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
    }

    @Override
    public void start(String id) throws IOException {
        containers.start(id);
    }

    @Override
    public int exec(String id, String processJson, ShimStdio stdio, ShimClient shim) throws IOException {
        ShimStarter starter = new ShimStarter(() -> shim, stdio);
        try {
            int pid = launching(starter).exec(id, processJson.getBytes(StandardCharsets.UTF_8),
                    new ExecOptions(consoleSocket(stdio), null, true, 0, false, Map.of(), LaunchRequest.Stdio.INHERIT))
                    .pid();
            shim.associate(starter.spawned(), pid);
            return pid;
        } catch (IOException | RuntimeException e) {
            if (starter.spawned() > 0) {
                try {
                    shim.release(starter.spawned());
                } catch (IOException x) {
                    e.addSuppressed(x);
                }
            }
            throw e;
        }
    }

    @Override
    public ContainerStatus status(String id) throws IOException {
        return containers.status(containers.record(id));
    }

    @Override
    public void kill(String id, int signal, boolean all) throws IOException {
        containers.kill(id, signal, all);
    }

    @Override
    public void checkpoint(String id, Path imageDir) throws IOException {
        Checkpoints.dump(containers, id, imageDir, null, true);
    }

    @Override
    public void pause(String id) throws IOException {
        containers.pause(id);
    }

    @Override
    public void resume(String id) throws IOException {
        containers.resume(id);
    }

    @Override
    public void update(String id, String resourcesJson) throws IOException {
        containers.update(id, resources(resourcesJson));
    }

    private static Resources resources(String json) throws IOException {
        JsonNode node;
        try {
            node = json == null ? null : MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw JctrException.invalidArgument("linux.resources: malformed json: %s", e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw JctrException.invalidArgument("linux.resources: expected an object");
        }
        ObjectNode spec = MAPPER.createObjectNode().put("ociVersion", "1.0.0");
        spec.putObject("linux").set("resources", node);
        return SpecParser.read(MAPPER.writeValueAsBytes(spec)).linux().resources();
    }

    @Override
    public List<Integer> pids(String id) throws IOException {
        return containers.pids(id);
    }

    @Override
    public CgroupStats stats(String id) throws IOException {
        if (cgroupVersion == 0) {
            cgroupVersion = CgroupLayout.detect().mode() == CgroupLayout.Mode.UNIFIED ? 2 : 1;
        }
        return StatsMapper.map(containers.stats(id), cgroupVersion, Instant.now());
    }

    @Override
    public OomWatch watchOom(String id) throws IOException {
        return containers.watchOom(id);
    }

    @Override
    public Path config(String id) {
        return containers.store().config(id);
    }

    @Override
    public void delete(String id) throws IOException {
        containers.delete(id, true);
    }

    /** The same containers, with helpers started by {@code starter} (the shim's). */
    private LinuxContainers launching(ShimStarter starter) {
        return new LinuxContainers(containers.store(), warnings, new Caller(starter, null, Caller.SELF.cgroups()));
    }

    /**
     * Where the shim receives a terminal's master: a fresh name in the task's directory (the
     * helper's working directory), short whatever the directory's length.
     */
    static Path consoleSocket(ShimStdio stdio) {
        return stdio.terminal() ? Path.of("console-" + Long.toString(System.nanoTime(), 36) + ".sock") : null;
    }
}
