package io.jctr.plugins.runtime.linux.container;

import io.jctr.plugins.runtime.linux.launch.LaunchRequest;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to start an extra process in a container: runc's {@code exec} flags.
 *
 * @param consoleSocket the unix socket that receives the pty master, or {@code null}
 * @param pidFile       where to write the process's pid, or {@code null}
 * @param detach        return once it runs instead of waiting for its exit
 * @param preserveFds   how many fds from 3 up it inherits
 * @param ignorePaused  allow a paused container
 * @param subCgroups    runc's {@code --cgroup}: a sub-cgroup per controller to join instead
 *                      of the container's own ({@code ""}: every controller)
 * @param stdio         the process's standard streams: paths the helper opens, or inherited
 *                      from this JVM (what the CLI wants)
 */
public record ExecOptions(Path consoleSocket, Path pidFile, boolean detach, int preserveFds, boolean ignorePaused,
        Map<String, String> subCgroups, LaunchRequest.Stdio stdio) {

    /** Copies the map. */
    public ExecOptions {
        subCgroups = Map.copyOf(subCgroups);
        stdio = stdio == null ? LaunchRequest.Stdio.INHERIT : stdio;
    }

    /** Options whose stdio is inherited from this JVM, as runc's commands want. */
    public ExecOptions(Path consoleSocket, Path pidFile, boolean detach, int preserveFds, boolean ignorePaused,
            Map<String, String> subCgroups) {
        this(consoleSocket, pidFile, detach, preserveFds, ignorePaused, subCgroups, LaunchRequest.Stdio.INHERIT);
    }
}
