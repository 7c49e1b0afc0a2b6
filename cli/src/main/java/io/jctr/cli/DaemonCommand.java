package io.jctr.cli;

import io.jctr.core.config.DaemonConfig;
import io.jctr.core.config.DaemonConfigLoader;
import io.jctr.core.config.LogLevels;
import io.jctr.core.daemon.Daemon;
import io.quarkus.arc.Arc;
import io.smallrye.config.SmallRyeConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code jctr daemon}: runs jctrd in the foreground until SIGTERM or SIGINT, with containerd's
 * flags. Flags win over environment variables, which win over the configuration file.
 */
@Command(name = "daemon", description = "Run the jctr daemon (jctrd) in the foreground")
class DaemonCommand implements Callable<Integer> {

    @ParentCommand
    JctrCommand top; // its --address is the daemon's socket when given

    @Option(names = "--root", paramLabel = "DIR", description = "persistent data (config jctr.root; default /var/lib/jctr)")
    String root;

    @Option(names = "--state", paramLabel = "DIR", description = "volatile state (config jctr.state; default /run/jctr)")
    String state;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration (default " + "/etc/jctr/config.yaml" + " if present)")
    Path config;

    @Option(names = {"-l", "--log-level"}, paramLabel = "LEVEL", description = "trace, debug, info, warn or error")
    String logLevel;

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "third-party plugin jars (default <root>/plugins)")
    String pluginsDir;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> flags = new HashMap<>();
        put(flags, "jctr.address", top.address);
        put(flags, "jctr.root", root);
        put(flags, "jctr.state", state);
        put(flags, "jctr.log-level", logLevel);
        put(flags, "jctr.plugins-dir", pluginsDir);
        SmallRyeConfig all;
        DaemonConfig cfg;
        try {
            all = DaemonConfigLoader.load(config, flags);
            cfg = DaemonConfigLoader.daemon(all);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        setLogLevel(LogLevels.parse(cfg.logLevel()));
        Daemon daemon = Daemon.start(cfg, all);
        // Under Quarkus, DaemonShutdown closes it on Quarkus's shutdown event, while logging
        // still works; a JVM hook of our own would race Quarkus's and log into a closed log
        // manager. Without Quarkus (no CDI container) the JVM hook is the only way.
        DaemonShutdown.running = daemon;
        if (Arc.container() == null) {
            Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "jctrd-shutdown"));
        }
        daemon.awaitTermination();
        return 0;
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }

    private static void setLogLevel(Level level) {
        Logger.getLogger("io.jctr").setLevel(level);
    }
}
