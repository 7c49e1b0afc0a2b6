package io.jctr.plugins.runtime.linux.plan;

import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_BIND;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NODEV;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOEXEC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_NOSUID;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_RDONLY;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REMOUNT;

import io.jctr.plugins.runtime.linux.plan.FilesystemStep.PathKind;
import io.jctr.plugins.runtime.linux.plan.PlanOptions.CgroupMountSource;
import io.jctr.plugins.runtime.linux.spec.Mount;
import io.jctr.plugins.runtime.linux.spec.NamespaceSet;
import io.jctr.plugins.runtime.linux.spec.NamespaceType;
import java.util.Optional;

/**
 * Plans a {@code cgroup} mount the way runc does: cgroup v2 as a {@code cgroup2} mount (or a
 * bind of the container's cgroup where the kernel refuses that mount), cgroup v1 as a tmpfs with
 * one directory per hierarchy. Not thread-safe.
 */
final class CgroupMountPlanner {

    private static final long DEFAULT_FLAGS = MS_NOEXEC | MS_NOSUID | MS_NODEV;

    private final NamespaceSet ns;
    private final PlanOptions opts;
    private final PlanBuilder b;

    CgroupMountPlanner(NamespaceSet ns, PlanOptions opts, PlanBuilder b) {
        this.ns = ns;
        this.opts = opts;
        this.b = b;
    }

    /** Adds the steps; returns a read-only remount to defer until the rootfs is complete. */
    Optional<MountStep.Remount> plan(String origin, Mount m, MountOptions.Parsed o,
            String target) {
        b.add(new FilesystemStep.MakePath(target, PathKind.DIRECTORY, origin));
        if (opts.cgroups() instanceof CgroupMountSource.Unified unified) {
            unified(origin, m, o, target, unified.hostPath());
            return Optional.empty();
        }
        return legacy(origin, m, o, target, (CgroupMountSource.Legacy) opts.cgroups());
    }

    private void unified(String origin, Mount m, MountOptions.Parsed o, String target, String host) {
        if (ns.contains(NamespaceType.USER) && !ns.isNew(NamespaceType.CGROUP)) {
            // The kernel refuses a cgroup2 mount from a user namespace that does not own its
            // cgroup namespace (EPERM); bind the container's cgroup instead.
            bind(origin, host, target, o.flags());
        } else {
            String source = m.source().isEmpty() ? "cgroup" : m.source();
            b.add(new MountStep.Mount(source, target, "cgroup2", o.flags(), o.data(), origin));
        }
        for (long p : o.propagation()) {
            b.add(new MountStep.SetPropagation(target, p, origin));
        }
    }

    private Optional<MountStep.Remount> legacy(String origin, Mount m, MountOptions.Parsed o,
            String target, CgroupMountSource.Legacy legacy) {
        b.add(new MountStep.Mount("tmpfs", target, "tmpfs", DEFAULT_FLAGS, "mode=755", origin));
        for (long p : o.propagation()) {
            b.add(new MountStep.SetPropagation(target, p, origin));
        }
        long readonly = o.flags() & MS_RDONLY;
        for (CgroupMountSource.Hierarchy h : legacy.hierarchies()) {
            String dir = SecureJoin.clean(target + "/" + h.name());
            b.add(new FilesystemStep.MakePath(dir, PathKind.DIRECTORY, origin));
            if (ns.isNew(NamespaceType.CGROUP)) {
                // In its own cgroup namespace the container mounts each hierarchy itself and
                // sees its cgroup as the root.
                boolean named = h.name().equals("systemd");
                b.add(new MountStep.Mount(named ? "systemd" : "cgroup", dir, "cgroup",
                        DEFAULT_FLAGS | readonly, named ? "name=systemd" : h.name(), origin));
            } else {
                bind(origin, h.hostPath(), dir, MS_REC | o.flags());
            }
        }
        for (CgroupMountSource.Hierarchy h : legacy.hierarchies()) {
            if (h.name().contains(",")) {
                // Co-mounted controllers ("cpu,cpuacct") are reachable by each name.
                for (String controller : h.name().split(",")) {
                    b.add(new FilesystemStep.Symlink(h.name(),
                            SecureJoin.clean(target + "/" + controller), false));
                }
            }
        }
        if (readonly == 0) {
            return Optional.empty();
        }
        return Optional.of(new MountStep.Remount(target,
                DEFAULT_FLAGS | MS_RDONLY | MS_REMOUNT | MS_BIND, origin));
    }

    private void bind(String origin, String source, String target, long flags) {
        b.add(new MountStep.Mount(source, target, "", MS_BIND | (flags & MS_REC), "", origin));
        if ((flags & ~(MS_REC | MS_REMOUNT | MS_BIND)) != 0) {
            b.add(new MountStep.Remount(target, flags | MS_BIND | MS_REMOUNT, origin));
        }
    }
}
