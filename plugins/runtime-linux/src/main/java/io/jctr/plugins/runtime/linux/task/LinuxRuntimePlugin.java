package io.jctr.plugins.runtime.linux.task;

import io.jctr.spi.InitContext;
import io.jctr.spi.Platform;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import io.jctr.spi.SkipPluginException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Registers {@link LinuxRuntime} as runtime {@code linux}, keeping its state in the plugin's
 * volatile directory. Skips when the daemon is not root or the jar lacks the C helper or shim.
 * Initialisation only reads the state directory (re-attaching to surviving tasks); the helper
 * and the native calls are loaded at the first create. Exports {@code state}.
 */
public final class LinuxRuntimePlugin implements PluginFactory {

    private static final String HELPER = "/io/jctr/plugins/runtime/linux/helper/jctr-helper";
    private static final String SHIM = "/io/jctr/plugins/runtime/linux/helper/jctr-shim";
    private static final Logger LOG = Logger.getLogger(LinuxRuntime.class.getName());

    @Override
    public Registration registration() {
        return Registration.of(PluginType.RUNTIME, "linux").platforms(Platform.host());
    }

    @Override
    public Object init(InitContext context) throws Exception {
        if (!isRoot()) {
            throw new SkipPluginException("runtime linux needs root");
        }
        for (String program : new String[] {HELPER, SHIM}) {
            if (LinuxRuntimePlugin.class.getResource(program) == null) {
                throw new SkipPluginException("runtime linux: " + program + " is not in the jar");
            }
        }
        Path state = context.state();
        LinuxRuntime runtime = new LinuxRuntime(state, LOG::warning);
        context.export("state", state.toString());
        return runtime;
    }

    private static boolean isRoot() throws IOException {
        // The owner of /proc/self is the effective uid; no native call needed.
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }
}
