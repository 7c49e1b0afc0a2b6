package io.jctr.core.tasks;

import io.jctr.spi.JctrException;
import io.jctr.spi.runtime.ContainerRuntime;
import java.util.Map;

/**
 * Which runtime plugin serves a container's runtime name. containerd's clients name runtimes by
 * shim ({@code io.containerd.runc.v2}, what {@code ctr} sends; the older {@code runc.v1} and
 * {@code runtime.v1.linux}); jctr's native runtime serves those. A runtime plugin is also
 * reachable by its id or its full name ({@code io.jctr.runtime.v1.<id>}), so a third-party
 * runtime from the plugins directory serves the name it registers.
 */
final class RuntimeNames {

    static final String NATIVE = "linux";
    private static final String PREFIX = "io.jctr.runtime.v1.";

    private RuntimeNames() {
    }

    /** The plugin id for {@code name}, whether or not such a plugin is loaded. */
    static String pluginId(String name) {
        return switch (name) {
            case "io.containerd.runc.v2", "io.containerd.runc.v1", "io.containerd.runtime.v1.linux" -> NATIVE;
            default -> name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
        };
    }

    /**
     * The runtime serving {@code name}.
     *
     * @throws JctrException {@code NOT_FOUND} naming the runtime and the ones there are
     */
    static ContainerRuntime resolve(String name, Map<String, ContainerRuntime> runtimes) {
        ContainerRuntime r = runtimes.get(pluginId(name));
        if (r == null) {
            throw JctrException.notFound("runtime \"%s\" (loaded runtime plugins: %s)", name,
                    runtimes.isEmpty() ? "none; 'jctr plugins ls -d' says why" : String.join(", ", runtimes.keySet()));
        }
        return r;
    }
}
