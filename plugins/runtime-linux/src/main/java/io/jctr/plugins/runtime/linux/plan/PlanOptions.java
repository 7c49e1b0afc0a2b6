package io.jctr.plugins.runtime.linux.plan;

import java.util.List;

/**
 * What the plan depends on besides the spec: the runtime's flags and facts about the host.
 * Immutable; start from {@link #defaults()} and change fields with the {@code with} methods.
 *
 * @param noPivotRoot            runc's {@code --no-pivot}: switch root with {@code MS_MOVE} and
 *                               {@code chroot} instead of {@code pivot_root}
 * @param rootless               the runtime lacks {@code CAP_SETGID} in its user namespace, so
 *                               a new user namespace must deny setgroups before its gid map
 * @param runningInUserNamespace the runtime itself runs in a non-initial user namespace, where
 *                               device nodes cannot be created and are bind-mounted instead
 * @param cgroups                where the container's cgroups are on the host
 * @param hostHasKcore           {@code /proc/kcore} exists (kernel built with
 *                               {@code CONFIG_PROC_KCORE}), so {@code /dev/core} links to it
 * @param lastCap                the kernel's highest capability number
 *                               ({@code /proc/sys/kernel/cap_last_cap})
 * @param preserveFds            how many descriptors from 3 up the program inherits (runc's
 *                               {@code --preserve-fds}); every higher one is closed
 */
public record PlanOptions(
        boolean noPivotRoot,
        boolean rootless,
        boolean runningInUserNamespace,
        CgroupMountSource cgroups,
        boolean hostHasKcore,
        int lastCap,
        int preserveFds) {

    /**
     * pivot_root, not rootless, not in a user namespace, cgroup v2 at {@code /sys/fs/cgroup},
     * {@code /proc/kcore} present, capabilities up to {@code CAP_CHECKPOINT_RESTORE} (40).
     */
    public static PlanOptions defaults() {
        return new PlanOptions(false, false, false, new CgroupMountSource.Unified("/sys/fs/cgroup"),
                true, 40, 0);
    }

    /** A copy with {@code noPivotRoot} set to {@code value}. */
    public PlanOptions withNoPivotRoot(boolean value) {
        return new PlanOptions(value, rootless, runningInUserNamespace,
                cgroups, hostHasKcore, lastCap, preserveFds);
    }

    /** A copy with {@code rootless} set to {@code value}. */
    public PlanOptions withRootless(boolean value) {
        return new PlanOptions(noPivotRoot, value, runningInUserNamespace,
                cgroups, hostHasKcore, lastCap, preserveFds);
    }

    /** A copy with {@code runningInUserNamespace} set to {@code value}. */
    public PlanOptions withRunningInUserNamespace(boolean value) {
        return new PlanOptions(noPivotRoot, rootless, value, cgroups, hostHasKcore, lastCap, preserveFds);
    }

    /** A copy with {@code cgroups} set to {@code value}. */
    public PlanOptions withCgroups(CgroupMountSource value) {
        return new PlanOptions(noPivotRoot, rootless, runningInUserNamespace,
                value, hostHasKcore, lastCap, preserveFds);
    }

    /** A copy with {@code hostHasKcore} set to {@code value}. */
    public PlanOptions withHostHasKcore(boolean value) {
        return new PlanOptions(noPivotRoot, rootless, runningInUserNamespace,
                cgroups, value, lastCap, preserveFds);
    }

    /** A copy with {@code lastCap} set to {@code value}. */
    public PlanOptions withLastCap(int value) {
        return new PlanOptions(noPivotRoot, rootless, runningInUserNamespace,
                cgroups, hostHasKcore, value, preserveFds);
    }

    /** A copy with {@code preserveFds} set to {@code value}. */
    public PlanOptions withPreserveFds(int value) {
        return new PlanOptions(noPivotRoot, rootless, runningInUserNamespace,
                cgroups, hostHasKcore, lastCap, value);
    }

    /** Where a {@code cgroup} mount of the spec takes its contents from. */
    public sealed interface CgroupMountSource {

        /**
         * cgroup v2: the container mounts {@code cgroup2}, or, in a user namespace without its
         * own cgroup namespace (where the kernel refuses that mount), bind-mounts
         * {@code hostPath}.
         *
         * @param hostPath the container's cgroup directory on the host
         */
        record Unified(String hostPath) implements CgroupMountSource {
        }

        /**
         * cgroup v1: a tmpfs with one directory per hierarchy.
         *
         * @param hierarchies the host's hierarchies, in mount order
         */
        record Legacy(List<Hierarchy> hierarchies) implements CgroupMountSource {

            /** Copies the list. */
            public Legacy {
                hierarchies = List.copyOf(hierarchies);
            }
        }

        /**
         * One v1 hierarchy.
         *
         * @param name     the mount point's name under {@code /sys/fs/cgroup}, e.g.
         *                 {@code cpu,cpuacct} or {@code systemd}
         * @param hostPath the container's cgroup directory in it, on the host
         */
        record Hierarchy(String name, String hostPath) {
        }
    }
}
