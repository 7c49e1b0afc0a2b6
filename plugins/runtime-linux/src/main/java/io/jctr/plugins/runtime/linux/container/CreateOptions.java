package io.jctr.plugins.runtime.linux.container;

import io.jctr.plugins.runtime.linux.launch.LaunchRequest;
import java.nio.file.Path;

/**
 * How to create a container: runc's {@code create} and {@code run} flags.
 *
 * @param id            the container id
 * @param bundle        the bundle directory (holding config.json)
 * @param pidFile       where to write the init's pid, or {@code null}
 * @param consoleSocket the unix socket that receives the pty master, or {@code null}
 * @param noPivot       {@code --no-pivot}: switch root without pivot_root
 * @param preserveFds   how many fds from 3 up the container inherits
 * @param foreground    the helper stays the init's parent and reports its exit ({@code run}
 *                      without {@code -d})
 * @param systemdCgroup {@code --systemd-cgroup}
 * @param stdio         the init's standard streams: paths the helper opens, or inherited from
 *                      this JVM (what the CLI wants)
 * @param defaultCgroupsPath the cgroup path when the spec has no {@code linux.cgroupsPath};
 *                      {@code null} for runc's {@code /jctr/<id>}
 */
public record CreateOptions(
        String id,
        Path bundle,
        Path pidFile,
        Path consoleSocket,
        boolean noPivot,
        int preserveFds,
        boolean foreground,
        boolean systemdCgroup,
        LaunchRequest.Stdio stdio,
        String defaultCgroupsPath) {

    /** Options whose stdio is inherited from this JVM, as runc's commands want. */
    public CreateOptions(String id, Path bundle, Path pidFile, Path consoleSocket, boolean noPivot,
            int preserveFds, boolean foreground, boolean systemdCgroup) {
        this(id, bundle, pidFile, consoleSocket, noPivot, preserveFds, foreground, systemdCgroup,
                LaunchRequest.Stdio.INHERIT, null);
    }
}
