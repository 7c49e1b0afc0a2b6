package io.jctr.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's own settings: section {@code jctr} of the configuration file, or environment
 * variables {@code JCTR_ROOT}, {@code JCTR_ADDRESS}, ...; command-line flags win over both.
 */
public interface DaemonConfig {

    /** The API socket. */
    default String address() {
        return "/run/jctr/jctr.sock";
    }

    /** Persistent data: content, snapshots, metadata. */
    default Path root() {
        return Path.of("/var/lib/jctr");
    }

    /** Volatile data, gone at reboot: sockets, bundles, task state. */
    default Path state() {
        return Path.of("/run/jctr");
    }

    /** Where third-party plugin jars are loaded from; {@code <root>/plugins} when unset. */
    Optional<Path> pluginsDir();

    /** One of trace, debug, info, warn, error. */
    default String logLevel() {
        return "info";
    }

    /** Plugins not to load, by id or by {@code type.id}. */
    default List<String> disabledPlugins() {
        return List.of();
    }

    /** Plugins that must initialise, by {@code type.id}; the daemon refuses to start otherwise. */
    default List<String> requiredPlugins() {
        return List.of();
    }
}
