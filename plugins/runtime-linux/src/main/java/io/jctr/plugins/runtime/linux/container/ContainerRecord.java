package io.jctr.plugins.runtime.linux.container;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the runtime remembers about a container between commands, stored as
 * {@code <root>/<id>/state.json}. Written once the init exists, rewritten atomically.
 *
 * @param id           the container id
 * @param ociVersion   the bundle's {@code ociVersion}
 * @param bundle       the absolute bundle directory
 * @param rootfs       the absolute root filesystem directory
 * @param pid          the init's pid in the runtime's pid namespace
 * @param pidStartTime the init's start time ({@link ProcStat#startTime()}), to detect pid reuse
 * @param created      when it was created, RFC 3339 with nanoseconds, UTC
 * @param owner        the user name of the state directory's owner
 * @param annotations  the spec's annotations
 * @param cgroupsPath  the container's cgroup path relative to each hierarchy's root
 * @param systemdCgroup whether runc's {@code --systemd-cgroup} was asked for (refused today)
 * @param sharedCgroup whether other processes were in the cgroup at create: then deleting the
 *                     container must not kill what is left in it
 */
public record ContainerRecord(
        String id,
        String ociVersion,
        String bundle,
        String rootfs,
        int pid,
        long pidStartTime,
        String created,
        String owner,
        Map<String, String> annotations,
        String cgroupsPath,
        boolean systemdCgroup,
        boolean sharedCgroup) {

    /** Copies the annotations, keeping their order. */
    public ContainerRecord {
        annotations = annotations == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    /** A copy with the init's pid and start time. */
    public ContainerRecord withInit(int newPid, long newStartTime) {
        return new ContainerRecord(id, ociVersion, bundle, rootfs, newPid, newStartTime, created, owner,
                annotations, cgroupsPath, systemdCgroup, sharedCgroup);
    }
}
