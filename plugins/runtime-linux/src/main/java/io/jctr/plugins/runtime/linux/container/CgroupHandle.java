package io.jctr.plugins.runtime.linux.container;

import io.jctr.plugins.runtime.linux.cgroups.CgroupManager;
import io.jctr.plugins.runtime.linux.cgroups.CgroupStats;
import io.jctr.plugins.runtime.linux.cgroups.ContainerCgroup;
import io.jctr.plugins.runtime.linux.cgroups.FreezerState;
import io.jctr.plugins.runtime.linux.cgroups.OomWatch;
import io.jctr.plugins.runtime.linux.cgroups.RuncDeviceDefaults;
import io.jctr.plugins.runtime.linux.plan.PlanOptions;
import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A container's cgroups as the life cycle uses them: created from the spec at create (with
 * runc's always-allowed devices appended, as runc does), reopened from the record's
 * {@code cgroupsPath} by every later command.
 */
final class CgroupHandle {

    private final ContainerCgroup cgroup;
    private final ContainerCgroup.Created created;
    private final boolean existedBefore;

    private CgroupHandle(ContainerCgroup cgroup, ContainerCgroup.Created created, boolean existedBefore) {
        this.cgroup = cgroup;
        this.created = created;
        this.existedBefore = existedBefore;
    }

    /**
     * Creates (or joins, when it exists) the cgroups of {@code id} at {@code cgroupsPath}
     * ({@code ""}: the default) with the spec's resources.
     */
    static CgroupHandle create(CgroupManager manager, String id, RuntimeSpec spec, String cgroupsPath) {
        ContainerCgroup cgroup = manager.open(id, cgroupsPath);
        boolean existed = cgroup.exists();
        Resources resources = spec.linux() == null ? null : spec.linux().resources();
        return new CgroupHandle(cgroup, cgroup.create(RuncDeviceDefaults.appendTo(resources)), existed);
    }

    /** The cgroups of an existing container. */
    static CgroupHandle open(CgroupManager manager, ContainerRecord c) {
        return new CgroupHandle(manager.open(c.id(), c.cgroupsPath()), null, true);
    }

    /** Whether the cgroup was there before {@link #create}: someone else's, not to be removed by an undo. */
    boolean existedBefore() {
        return existedBefore;
    }

    /** The directories by controller (see {@link ContainerCgroup#paths()}), for CRIU's restore. */
    Map<String, Path> paths() {
        return cgroup.paths();
    }

    /** The spec's {@code linux.cgroupsPath}, {@code ""} for the default. */
    static String cgroupsPath(RuntimeSpec spec) {
        return spec.linux() == null ? "" : spec.linux().cgroupsPath();
    }

    /** The host paths of the cgroups, for a {@code cgroup} mount in the container. */
    PlanOptions.CgroupMountSource mountSource() {
        return created != null ? created.mountSource() : PlanOptions.defaults().cgroups();
    }

    /** The {@code cgroup.procs} files a new process joins. */
    List<Path> procsFiles() {
        if (created != null) {
            return created.procsFiles();
        }
        Set<Path> files = new LinkedHashSet<>();
        cgroup.paths().values().forEach(dir -> files.add(dir.resolve("cgroup.procs")));
        return new ArrayList<>(files);
    }

    /**
     * The {@code cgroup.procs} files an exec'd process joins with runc's {@code --cgroup}: for
     * each controller, its sub-cgroup from {@code subCgroups} (key {@code ""} for every
     * controller), else the container's own.
     *
     * @throws JctrException {@code INVALID_ARGUMENT} for a controller the container does not have
     *                       or a path that leaves the container's cgroup
     */
    List<Path> procsFiles(Map<String, String> subCgroups) {
        Map<String, Path> dirs = cgroup.paths();
        for (String controller : subCgroups.keySet()) {
            if (!controller.isEmpty() && !dirs.containsKey(controller)) {
                throw JctrException.invalidArgument("unknown controller %s", controller);
            }
        }
        Set<Path> files = new LinkedHashSet<>();
        dirs.forEach((controller, dir) -> {
            String sub = subCgroups.getOrDefault(controller, subCgroups.get(""));
            Path target = dir;
            if (sub != null) {
                target = dir.resolve(sub.startsWith("/") ? sub.substring(1) : sub).normalize();
                if (!target.startsWith(dir)) {
                    throw JctrException.invalidArgument("%s is not a sub cgroup path", sub);
                }
            }
            files.add(target.resolve("cgroup.procs"));
        });
        return new ArrayList<>(files);
    }

    boolean exists() {
        return cgroup.exists();
    }

    boolean frozen() {
        return cgroup.exists() && cgroup.state() == FreezerState.FROZEN;
    }

    void freeze() {
        cgroup.freeze();
    }

    void thaw() {
        if (cgroup.exists()) {
            cgroup.thaw();
        }
    }

    void signalAll(int signal) {
        cgroup.signalAll(signal);
    }

    List<Integer> pids() {
        List<Integer> pids = new ArrayList<>();
        if (cgroup.exists()) {
            cgroup.pids().forEach(p -> pids.add(p.intValue()));
        }
        return pids;
    }

    void update(Resources resources) {
        cgroup.update(resources);
    }

    CgroupStats stats() {
        return cgroup.stats();
    }

    OomWatch watchOom() {
        return cgroup.watchOom();
    }

    /** Removes the cgroups, first killing what is left in them if {@code kill}. */
    void destroy(boolean kill) {
        cgroup.destroy(kill);
    }
}
