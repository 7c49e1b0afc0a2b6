package io.jctr.plugins.runtime.linux.plan;

import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_BIND;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_PRIVATE;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_RDONLY;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REMOUNT;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_SHARED;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_SLAVE;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_UNBINDABLE;

import io.jctr.plugins.runtime.linux.plan.FilesystemStep.PathKind;
import io.jctr.plugins.runtime.linux.plan.FilesystemStep.RootSwitch;
import io.jctr.plugins.runtime.linux.spec.JsonPath;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import java.util.List;
import java.util.Map;

/** Plans the rootfs around the mounts: preparing it, switching into it, finishing it. */
final class RootfsPlanner {

    private static final Map<String, Long> PROPAGATION = Map.of(
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC,
            "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC,
            "unbindable", MS_UNBINDABLE, "runbindable", MS_UNBINDABLE | MS_REC);

    private RootfsPlanner() {
    }

    /** Before the mounts: propagation of {@code /}, the rootfs as a mount point. */
    static void prepare(RuntimeSpec spec, String rootfs, PlanOptions opts, PlanBuilder b) {
        String propagation = spec.linux() == null ? "" : spec.linux().rootfsPropagation();
        long flags = propagation.isEmpty() ? MS_SLAVE | MS_REC : PROPAGATION.get(propagation);
        if (opts.noPivotRoot() && (flags & MS_PRIVATE) != 0) {
            // runc: with MS_MOVE and chroot the old root stays reachable, and a private root
            // would keep host unmounts from ever reaching the container.
            throw new SpecException("linux.rootfsPropagation", JsonPath.quote(propagation)
                    + " is not safe without pivot_root");
        }
        // Fixed mode bits for the directories and files created from here on.
        b.add(new ProcessStep.SetUmask(0022));
        // The new mount namespace is a copy with the same propagation as the host's: until /
        // is slave (or what rootfsPropagation asks for), the container's mounts would
        // propagate back to the host (mount_namespaces(7)).
        b.add(new MountStep.SetPropagation("/", flags, "linux.rootfsPropagation"));
        // pivot_root(2) fails with EINVAL if the parent mount of new_root is shared, and a
        // shared parent would also propagate the bind below to other namespaces.
        b.add(new MountStep.PrivatizeRootfsParent(rootfs));
        // pivot_root(2) requires new_root to be a mount point.
        b.add(new MountStep.BindRootfs(rootfs));
    }

    /**
     * After the mounts and devices: the runtime's hooks, the container's createContainer
     * hooks, the root switch, and what must happen in the new root before the process is set up.
     */
    static void enterRoot(RuntimeSpec spec, String rootfs, PlanOptions opts, boolean devPopulated,
            List<MountStep.Remount> deferredReadonly, PlanBuilder b) {
        hooksBeforeRootSwitch(spec, b);
        b.add(new FilesystemStep.EnterRoot(opts.noPivotRoot() ? RootSwitch.MOVE_ROOT
                : RootSwitch.PIVOT_ROOT, rootfs));
        if (devPopulated) {
            // stdio pointing at the host's /dev/null would keep a handle on the host's /dev.
            b.add(new FilesystemStep.ReopenDevNull());
        }
        b.add(new FilesystemStep.MakePath(SecureJoin.clean(spec.process().cwd()),
                PathKind.DIRECTORY, "process.cwd"));
        if (spec.process().terminal()) {
            b.add(new FilesystemStep.BindConsole("/dev/console"));
        }
        // Read-only last: a read-only mount refuses the mkdir(2)/mknod(2) of everything
        // created in or below it (EROFS), so each waits until the tree is complete.
        deferredReadonly.forEach(b::add);
        if (spec.root().readonly()) {
            b.add(new MountStep.Remount("/", MS_BIND | MS_REMOUNT | MS_RDONLY, "root.readonly"));
        }
        umask(spec, b);
    }

    /** No mount namespace: nothing may be mounted; chroot into the rootfs as it is. */
    static void chrootOnly(RuntimeSpec spec, String rootfs, PlanBuilder b) {
        if (!spec.mounts().isEmpty()) {
            throw new SpecException("mounts", "cannot be mounted without a mount namespace");
        }
        if (spec.root().readonly()) {
            throw new SpecException("root.readonly", "cannot be applied without a mount namespace");
        }
        hooksBeforeRootSwitch(spec, b);
        b.add(new FilesystemStep.EnterRoot(RootSwitch.CHROOT, rootfs));
        umask(spec, b);
    }

    /** Read-only and masked paths, in the new root, with /proc mounted. */
    static void restrictPaths(RuntimeSpec spec, PlanBuilder b) {
        if (spec.linux() == null) {
            return;
        }
        List<String> readonly = spec.linux().readonlyPaths();
        for (int i = 0; i < readonly.size(); i++) {
            b.add(new MountStep.ReadonlyPath(SecureJoin.clean(readonly.get(i)),
                    JsonPath.index("linux.readonlyPaths", i)));
        }
        List<String> masked = spec.linux().maskedPaths();
        for (int i = 0; i < masked.size(); i++) {
            b.add(new MountStep.MaskPath(SecureJoin.clean(masked.get(i)),
                    JsonPath.index("linux.maskedPaths", i)));
        }
    }

    private static void hooksBeforeRootSwitch(RuntimeSpec spec, PlanBuilder b) {
        // Runtime spec 1.1, "Lifecycle": prestart and createRuntime hooks run in the runtime
        // namespace, createContainer hooks in the container, all after the mounts and before
        // pivot_root, so they can still reach both trees.
        b.add(new ProcessStep.SyncWithRuntime(ProcessStep.SyncPoint.CREATE_RUNTIME_HOOKS));
        if (spec.hooks() != null && !spec.hooks().createContainer().isEmpty()) {
            b.add(new ProcessStep.RunHooks(ProcessStep.HookPhase.CREATE_CONTAINER,
                    HookCommands.commands(spec.hooks().createContainer())));
        }
    }

    private static void umask(RuntimeSpec spec, PlanBuilder b) {
        Long umask = spec.process().user().umask();
        // runc's default when the spec leaves it unset.
        b.add(new ProcessStep.SetUmask(umask == null ? 0022 : umask.intValue()));
    }
}
