package io.jctr.plugins.runtime.linux.plan;

/**
 * Mount system calls: the container's mount namespace made slave, the rootfs bound onto itself,
 * the spec's mounts with their propagation and attributes, and the read-only and masked paths.
 * Paths follow the rules of {@link FilesystemStep}: container paths resolved beneath the rootfs
 * before {@link FilesystemStep.EnterRoot}, plain after it; host paths as they are. Steps derived
 * from one spec field carry its JSON path as {@code origin}.
 */
public sealed interface MountStep extends Step {

    /**
     * {@code mount(NULL, target, NULL, flags, NULL)}: change propagation only.
     *
     * @param target a container path, or {@code /} of the mount namespace before the rootfs is
     *               bound (then {@code origin} is {@code linux.rootfsPropagation})
     * @param flags  one of {@code MS_SHARED}, {@code MS_SLAVE}, {@code MS_PRIVATE},
     *               {@code MS_UNBINDABLE}, optionally with {@code MS_REC}
     * @param origin the JSON path it came from
     */
    record SetPropagation(String target, long flags, String origin) implements MountStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_PROPAGATION;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(target).i64(flags).str(origin);
        }

        static SetPropagation readFrom(PlanReader in) {
            return new SetPropagation(in.str(), in.i64(), in.str());
        }
    }

    /**
     * Find the mount containing the host path {@code rootfs} (the longest mount point prefix in
     * {@code /proc/self/mountinfo}) and, if it is shared, make it {@code MS_PRIVATE}.
     *
     * @param rootfs the rootfs, a host path
     */
    record PrivatizeRootfsParent(String rootfs) implements MountStep {
        @Override
        public Opcode opcode() {
            return Opcode.PRIVATIZE_ROOTFS_PARENT;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(rootfs);
        }

        static PrivatizeRootfsParent readFrom(PlanReader in) {
            return new PrivatizeRootfsParent(in.str());
        }
    }

    /**
     * {@code mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL)}, then open the rootfs: the
     * directory container paths are resolved beneath until {@link EnterRoot}.
     *
     * @param rootfs the rootfs, a host path
     */
    record BindRootfs(String rootfs) implements MountStep {
        @Override
        public Opcode opcode() {
            return Opcode.BIND_ROOTFS;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(rootfs);
        }

        static BindRootfs readFrom(PlanReader in) {
            return new BindRootfs(in.str());
        }
    }

    /**
     * {@code mount(source, target, fstype, flags, data)}, with {@code ""} passed as
     * {@code NULL} for fstype and data.
     *
     * @param source a host path for bind mounts, otherwise the filesystem's source string
     * @param target a container path
     * @param fstype the filesystem type, {@code ""} for bind mounts
     * @param flags  {@code MS_*} flags
     * @param data   filesystem-specific options
     * @param origin the JSON path it came from
     */
    record Mount(String source, String target, String fstype, long flags, String data, String origin)
            implements MountStep {
        @Override
        public Opcode opcode() {
            return Opcode.MOUNT;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(source).str(target).str(fstype).i64(flags).str(data).str(origin);
        }

        static Mount readFrom(PlanReader in) {
            return new Mount(in.str(), in.str(), in.str(), in.i64(), in.str(), in.str());
        }
    }

    /**
     * {@code mount(NULL, target, NULL, flags, NULL)} where {@code flags} includes
     * {@code MS_REMOUNT}. If it fails with {@code EPERM}, retry once with the flags
     * {@code statfs(2)} reports for the target ORed in: a mount inherited from a more privileged
     * mount namespace has its nosuid, nodev, noexec, read-only and atime flags locked
     * ({@code MNT_LOCK_*}), and a remount must keep them.
     *
     * @param target a container path
     * @param flags  {@code MS_*} flags including {@code MS_REMOUNT}
     * @param origin the JSON path it came from
     */
    record Remount(String target, long flags, String origin) implements MountStep {
        @Override
        public Opcode opcode() {
            return Opcode.REMOUNT;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(target).i64(flags).str(origin);
        }

        static Remount readFrom(PlanReader in) {
            return new Remount(in.str(), in.i64(), in.str());
        }
    }

    /**
     * {@code mount_setattr(-1, target, AT_RECURSIVE, {attr_set, attr_clr})}.
     *
     * @param target  a container path
     * @param attrSet {@code MOUNT_ATTR_*} to set
     * @param attrClr {@code MOUNT_ATTR_*} to clear
     * @param origin  the JSON path it came from
     */
    record SetMountAttr(String target, long attrSet, long attrClr, String origin)
            implements MountStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_MOUNT_ATTR;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(target).i64(attrSet).i64(attrClr).str(origin);
        }

        static SetMountAttr readFrom(PlanReader in) {
            return new SetMountAttr(in.str(), in.i64(), in.i64(), in.str());
        }
    }

    /**
     * Make {@code path} read-only: {@code mount(path, path, NULL, MS_BIND | MS_REC, NULL)}, then
     * a {@code MS_BIND | MS_REMOUNT | MS_RDONLY} remount keeping the nosuid, nodev and noexec
     * flags {@code statfs(2)} reports. {@code ENOENT} is not an error.
     *
     * @param path   a path in the new root
     * @param origin the JSON path it came from
     */
    record ReadonlyPath(String path, String origin) implements MountStep {
        @Override
        public Opcode opcode() {
            return Opcode.READONLY_PATH;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(path).str(origin);
        }

        static ReadonlyPath readFrom(PlanReader in) {
            return new ReadonlyPath(in.str(), in.str());
        }
    }

    /**
     * Make {@code path} unreadable: bind-mount {@code /dev/null} onto it, or, if that fails with
     * {@code ENOTDIR} (it is a directory), mount an empty read-only tmpfs there.
     * {@code ENOENT} is not an error.
     *
     * @param path   a path in the new root
     * @param origin the JSON path it came from
     */
    record MaskPath(String path, String origin) implements MountStep {
        @Override
        public Opcode opcode() {
            return Opcode.MASK_PATH;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(path).str(origin);
        }

        static MaskPath readFrom(PlanReader in) {
            return new MaskPath(in.str(), in.str());
        }
    }
}
