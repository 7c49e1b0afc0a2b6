package io.jctr.core.daemon;

import io.grpc.BindableService;
import io.jctr.core.config.DaemonConfig;
import io.jctr.core.grpc.ApiServer;
import io.jctr.core.plugin.PluginRecord;
import io.jctr.core.plugin.PluginRegistry;
import io.jctr.core.plugin.PluginStatus;
import io.jctr.spi.PluginType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;

/**
 * jctrd: takes the socket guard, prepares the root and state directories, initialises every
 * plugin and serves the gRPC services they provide. {@link #close} undoes it in reverse order.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());
    /** sun_path is 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private final SocketGuard guard;
    private final PluginRegistry registry;
    private final ApiServer server;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Daemon(SocketGuard guard, PluginRegistry registry, ApiServer server) {
        this.guard = guard;
        this.registry = registry;
        this.server = server;
    }

    /**
     * Starts the daemon and returns once the socket accepts calls.
     *
     * @throws DaemonStartException with a one-line reason when it cannot start
     */
    public static Daemon start(DaemonConfig cfg, Config config) {
        Path socket = socketPath(cfg.address());
        SocketGuard guard = null;
        PluginRegistry registry = null;
        try {
            createPrivateDir(cfg.root());
            createPrivateDir(cfg.state());
            createPrivateDir(socket.getParent());
            guard = SocketGuard.acquire(socket);
            Path pluginsDir = cfg.pluginsDir().orElse(cfg.root().resolve("plugins"));
            registry = PluginRegistry.discover(Daemon.class.getClassLoader(), pluginsDir);
            registry.initAll(new PluginRegistry.Environment(cfg.root(), cfg.state(), socket.toString(), config,
                    cfg.disabledPlugins()));
            checkRequired(registry, cfg.requiredPlugins());
            List<BindableService> services = List.copyOf(registry.instances(PluginType.GRPC, BindableService.class).values());
            ApiServer server = ApiServer.start(socket, services);
            logSummary(registry, socket);
            return new Daemon(guard, registry, server);
        } catch (IOException | RuntimeException e) {
            closeQuietly(registry);
            closeQuietly(guard);
            if (e instanceof DaemonStartException d) {
                throw d;
            }
            throw new DaemonStartException("cannot start: " + e.getMessage(), e);
        }
    }

    public PluginRegistry registry() {
        return registry;
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops serving, closes every plugin and releases the socket; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registry.close();
        closeQuietly(guard);
        LOG.info("jctr daemon stopped");
    }

    private static Path socketPath(String address) {
        String path = address.startsWith("unix://") ? address.substring("unix://".length()) : address;
        if (path.isEmpty() || !path.startsWith("/")) {
            throw new DaemonStartException("invalid --address \"" + address + "\": want an absolute unix socket path");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new DaemonStartException("socket path " + path + " is longer than " + MAX_SOCKET_PATH + " bytes");
        }
        return Path.of(path);
    }

    private static void createPrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        }
    }

    private static void checkRequired(PluginRegistry registry, List<String> required) {
        for (String name : required) {
            PluginRecord r = registry.plugins().stream().filter(p -> p.registration().name().equals(name)).findFirst()
                    .orElseThrow(() -> new DaemonStartException("required plugin " + name + " does not exist"));
            if (r.status() != PluginStatus.OK) {
                throw new DaemonStartException("required plugin " + name + " did not initialise: " + r.status().label()
                        + ": " + r.message());
            }
        }
    }

    private static void logSummary(PluginRegistry registry, Path socket) {
        long ok = registry.plugins().stream().filter(p -> p.status() == PluginStatus.OK).count();
        LOG.info(() -> "jctr daemon serving " + socket + " (" + ok + " of " + registry.plugins().size() + " plugins ok)");
        for (PluginRecord r : registry.plugins()) {
            if (r.status() != PluginStatus.OK) {
                LOG.info(() -> "plugin " + r.registration().name() + ": " + r.status().label() + ": " + r.message());
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.fine(() -> "while cleaning up: " + e);
        }
    }
}
