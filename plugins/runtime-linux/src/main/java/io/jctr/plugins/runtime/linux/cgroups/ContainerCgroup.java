package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.plugins.runtime.linux.plan.PlanOptions.CgroupMountSource;
import io.jctr.plugins.runtime.linux.spec.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The cgroups of one container: on a v1 host one directory per hierarchy (plus the empty cgroup2
 * hierarchy in hybrid mode), on a v2 host one directory. Obtain it from
 * {@link CgroupManager#open}; the object holds only paths, so a runtime that restarts gets an
 * equivalent one by opening the same path again. Methods that write are not meant to run
 * concurrently for the same container; reads may.
 *
 * <p>Errors are {@link io.jctr.spi.JctrException}s naming the file and value:
 * {@code cgroup: writing "memory.limit_in_bytes" = 1000 in <dir>: Device or resource busy}.
 */
public sealed interface ContainerCgroup permits LegacyCgroup, UnifiedCgroup {

    /**
     * What the launcher needs after {@link #create}.
     *
     * @param procsFiles  the {@code cgroup.procs} files the launcher writes its pid into before
     *                    it clones the container's init
     * @param mountSource the host paths of the container's cgroups, for a {@code cgroup} mount
     *                    in the container ({@link io.jctr.plugins.runtime.linux.plan.PlanOptions})
     */
    record Created(List<Path> procsFiles, CgroupMountSource mountSource) {

        public Created {
            procsFiles = List.copyOf(procsFiles);
        }
    }

    /**
     * The container's directories keyed like runc's {@code cgroup_paths} in its state.json: by
     * controller ({@code memory}, {@code cpu} and {@code cpuacct} alike for a co-mounted pair,
     * {@code name=systemd}), and {@code ""} for the cgroup2 directory (v2, or hybrid mode).
     */
    Map<String, Path> paths();

    /** Whether any of the directories exists. */
    boolean exists();

    /**
     * Makes the directories (cpuset: copying {@code cpus}/{@code mems} from the parent into a new
     * cgroup, v2: enabling the parent's controllers) and applies {@code resources}. Existing
     * directories are reused (joining a shared cgroup); on failure the directories made here are
     * removed again. {@code resources} is checked first, so bad input creates nothing.
     *
     * <p>Device rules: v1 writes {@code devices.deny a} and then each rule in order; v2
     * attaches an eBPF program ({@link DeviceFilter}) in which the last matching rule decides.
     * An empty list leaves the inherited device access alone.
     *
     * @throws io.jctr.spi.JctrException invalid argument for a bad value, failed precondition
     *                                   for a setting whose controller is not mounted
     */
    Created create(Resources resources);

    /**
     * Applies the settings present in {@code resources} to the live cgroups (runc update). With
     * {@code memory.checkBeforeUpdate}, a memory limit below the current usage is refused.
     */
    void update(Resources resources);

    /** Moves process {@code pid} (all its threads) into every directory. */
    void addProcess(long pid);

    /** Every process in the container's cgroup and the cgroups below it. */
    List<Long> pids();

    /**
     * Sends {@code signal} to every process, holding them frozen meanwhile (where a freezer is
     * available) so that none forks away unsignalled: runc's {@code kill --all}. A process that
     * exits meanwhile is skipped.
     */
    void signalAll(int signal);

    /** Stops every process, waiting until the kernel reports them frozen (at most 5 s). */
    void freeze();

    /** Lets frozen processes run again. */
    void thaw();

    /** The freezer's state; {@link FreezerState#THAWED} without a freezer or a cgroup. */
    FreezerState state();

    /** A snapshot of the statistics. */
    CgroupStats stats();

    /** Subscribes to OOM notifications; close the watch when done. See {@link OomListener}. */
    OomWatch watchOom();

    /**
     * Removes the directories, leaf first, retrying while exiting tasks keep them busy.
     * Idempotent: missing directories are not an error.
     *
     * @param killProcesses SIGKILL every remaining process first (frozen meanwhile on v1, so
     *                      none can fork away; {@code cgroup.kill} where the kernel has it)
     */
    void destroy(boolean killProcesses);
}
