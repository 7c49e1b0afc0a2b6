package io.jctr.plugins.runtime.linux.launch;

import java.io.IOException;

/**
 * Starts the helper for one launch. Which process becomes its parent matters: a detached init
 * is re-parented to the parent's subreaper when the helper exits, and containerd's shim finds
 * its containers that way. {@link #LOCAL} makes the helper a child of this JVM; the
 * {@code jctr-runc} server uses a starter that has its client fork the helper instead, and the
 * runtime plugin one that has the task's shim fork it ({@code shim.ShimStarter}).
 */
public interface HelperStarter {

    /** Spawns the helper as a child of this JVM ({@code posix_spawn}). */
    HelperStarter LOCAL = (executable, channelFd, request) -> {
        Posix posix = Posix.system();
        return new LocalHelper(posix, HelperSpawner.spawn(posix, executable, channelFd, request));
    };

    /**
     * Starts the helper from {@code executable} with the launch channel's helper end
     * ({@code channelFd}, a descriptor of this JVM) at descriptor {@code 3 + preserveFds}, the
     * request's stdio at 0-2 and its preserved descriptors at 3 and up, every other descriptor
     * closed, signal mask and dispositions reset, an empty environment, and the arguments
     * {@code jctr-helper <channel fd>}.
     */
    HelperProcess start(String executable, int channelFd, LaunchRequest request) throws IOException;
}
