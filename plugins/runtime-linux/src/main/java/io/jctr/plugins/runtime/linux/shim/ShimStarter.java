package io.jctr.plugins.runtime.linux.shim;

import io.jctr.plugins.runtime.linux.launch.HelperProcess;
import io.jctr.plugins.runtime.linux.launch.HelperStarter;
import io.jctr.plugins.runtime.linux.launch.LaunchRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Has a task's shim fork the helper of one launch, as the jctr-runc client forks them for the
 * jctr-runc server: the helper is the shim's child, so the container process it leaves behind
 * is re-parented to the shim (its subreaper). The shim gives the helper the process's streams
 * ({@link ShimStdio}) and, for a terminal, listens on the launch's console socket, which is
 * named relative to the task's directory (the helper's working directory). Not thread-safe:
 * one per launch.
 */
public final class ShimStarter implements HelperStarter {

    /** How the shim is reached: started on first use for a task's create. */
    @FunctionalInterface
    public interface ShimSource {
        ShimClient get() throws IOException;
    }

    private final ShimSource shim;
    private final ShimStdio stdio;
    private ShimClient client;
    private int spawned;

    public ShimStarter(ShimSource shim, ShimStdio stdio) {
        this.shim = shim;
        this.stdio = stdio;
    }

    @Override
    public HelperProcess start(String executable, int channelFd, LaunchRequest request) throws IOException {
        LaunchRequest.Stdio s = request.stdio();
        if (s.in() != null || s.out() != null || s.err() != null || request.preserveFds() != 0) {
            throw new IOException("a shim's helpers get their streams from the shim; paths and preserved descriptors are not supported");
        }
        LaunchRequest.Terminal t = request.terminal();
        String console = t == null || t.consoleSocket() == null ? "" : t.consoleSocket().toString();
        client = shim.get();
        Instant before = Instant.now();
        spawned = client.spawn(executable, List.of("jctr-helper", "3"), List.of(), stdio, console, channelFd);
        return new ShimHelper(client, spawned, before);
    }

    /** The shim the helper was started by, once it was. */
    public ShimClient client() {
        return client;
    }

    /** The helper's pid, 0 before it was spawned. */
    public int spawned() {
        return spawned;
    }
}
