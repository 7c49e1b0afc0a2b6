package io.jctr.plugins.runtime.linux.plan;

/**
 * Steps that create files in the container's filesystem view and switch the root to it; the
 * mount system calls are {@link MountStep}s.
 *
 * <p><b>Paths.</b> A <em>container path</em> is absolute and clean ({@code /dev/pts}). Before
 * {@link EnterRoot} the helper resolves it beneath the rootfs that
 * {@link MountStep.BindRootfs} mounted, with
 * {@code openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)}, and acts through the resulting
 * descriptor ({@code /proc/self/fd/N}): the planner resolved the path with {@link SecureJoin}, and
 * this second resolution keeps a symbolic link swapped in since from leading outside the rootfs.
 * After {@link EnterRoot} container paths are plain paths in the new root. A <em>host path</em>
 * (a bind mount's source, the rootfs) is an absolute path in the runtime's mount namespace.
 *
 * <p><b>Origins.</b> Steps derived from one spec field carry its JSON path ({@code mounts[3]})
 * so the helper can say which field a failing system call came from.
 */
public sealed interface FilesystemStep extends Step {

    /** What {@link MakePath} creates. */
    enum PathKind {
        DIRECTORY(1), FILE(2);

        private final int code;

        PathKind(int code) {
            this.code = code;
        }

        int code() {
            return code;
        }

        static PathKind read(PlanReader in) {
            int code = in.u8();
            for (PathKind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw in.error("unknown path kind " + code);
        }
    }

    /** The kind of node {@link MakeDevice} creates, by its {@code mknod(1)} letter. */
    enum DeviceKind {
        CHAR('c', 0020000), BLOCK('b', 0060000), FIFO('p', 0010000);

        private final char letter;
        private final int typeBits;

        DeviceKind(char letter, int typeBits) {
            this.letter = letter;
            this.typeBits = typeBits;
        }

        /** {@code c}, {@code b} or {@code p}. */
        public char letter() {
            return letter;
        }

        /** The {@code S_IF*} bits {@code mknod(2)} takes in its mode. */
        public int typeBits() {
            return typeBits;
        }

        static DeviceKind read(PlanReader in) {
            int letter = in.u8();
            for (DeviceKind k : values()) {
                if (k.letter == letter) {
                    return k;
                }
            }
            throw in.error("unknown device kind " + letter);
        }
    }

    /** How {@link EnterRoot} makes the rootfs the process's root. */
    enum RootSwitch {
        /**
         * Open {@code /} and the rootfs, {@code fchdir} to the rootfs,
         * {@code pivot_root(".", ".")}, {@code fchdir} to the old root, make it
         * {@code MS_SLAVE | MS_REC} so that the unmount does not propagate to the host, unmount
         * it with {@code MNT_DETACH}, {@code chdir("/")}.
         */
        PIVOT_ROOT(1),
        /**
         * runc's {@code --no-pivot}: unmount (or cover with tmpfs) every full proc and sysfs
         * mount outside the rootfs, {@code mount(rootfs, "/", MS_MOVE)}, {@code chroot(".")},
         * {@code chdir("/")}.
         */
        MOVE_ROOT(2),
        /** No mount namespace: {@code chdir(rootfs)}, {@code chroot(".")}, {@code chdir("/")}. */
        CHROOT(3);

        private final int code;

        RootSwitch(int code) {
            this.code = code;
        }

        int code() {
            return code;
        }

        static RootSwitch read(PlanReader in) {
            int code = in.u8();
            for (RootSwitch r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            throw in.error("unknown root switch " + code);
        }
    }

    /**
     * Create {@code path} if nothing is there: missing parents as directories (0755), then the
     * last component as a directory (0755) or an empty regular file (0644). An existing entry of
     * either kind is left alone.
     *
     * @param path   a container path
     * @param kind   what to create
     * @param origin the JSON path it came from
     */
    record MakePath(String path, PathKind kind, String origin) implements FilesystemStep {
        @Override
        public Opcode opcode() {
            return Opcode.MAKE_PATH;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(path).u8(kind.code()).str(origin);
        }

        static MakePath readFrom(PlanReader in) {
            return new MakePath(in.str(), PathKind.read(in), in.str());
        }
    }

    /**
     * {@code chmod(path, mode)}.
     *
     * @param path   a container path
     * @param mode   permission bits
     * @param origin the JSON path it came from
     */
    record Chmod(String path, int mode, String origin) implements FilesystemStep {
        @Override
        public Opcode opcode() {
            return Opcode.CHMOD;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(path).i32(mode).str(origin);
        }

        static Chmod readFrom(PlanReader in) {
            return new Chmod(in.str(), in.i32(), in.str());
        }
    }

    /**
     * {@code mknod(path, kind.typeBits() | mode, makedev(major, minor))}, then
     * {@code chown(path, uid, gid)}. {@code EEXIST} is not an error: the node is left as is.
     *
     * @param path   a container path
     * @param kind   the node type
     * @param major  the major number (0 for a FIFO)
     * @param minor  the minor number (0 for a FIFO)
     * @param mode   permission bits
     * @param uid    the owner, in the container's user namespace
     * @param gid    the group, in the container's user namespace
     * @param origin the JSON path it came from
     */
    record MakeDevice(String path, DeviceKind kind, long major, long minor, int mode, long uid,
            long gid, String origin) implements FilesystemStep {
        @Override
        public Opcode opcode() {
            return Opcode.MAKE_DEVICE;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(path).u8(kind.letter()).i64(major).i64(minor).i32(mode).i64(uid).i64(gid)
                    .str(origin);
        }

        static MakeDevice readFrom(PlanReader in) {
            return new MakeDevice(in.str(), DeviceKind.read(in), in.i64(), in.i64(), in.i32(),
                    in.i64(), in.i64(), in.str());
        }
    }

    /**
     * {@code symlink(linkTarget, path)}. If something exists at {@code path}: remove it first
     * when {@code replace}, otherwise leave it.
     *
     * @param linkTarget the link's content, taken literally
     * @param path       a container path
     * @param replace    whether an existing entry is replaced
     */
    record Symlink(String linkTarget, String path, boolean replace) implements FilesystemStep {
        @Override
        public Opcode opcode() {
            return Opcode.SYMLINK;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(linkTarget).str(path).bool(replace);
        }

        static Symlink readFrom(PlanReader in) {
            return new Symlink(in.str(), in.str(), in.bool());
        }
    }

    /**
     * Make the rootfs the root, as {@code how} describes; from here on container paths are plain.
     *
     * @param how    the mechanism
     * @param rootfs the rootfs, a host path
     */
    record EnterRoot(RootSwitch how, String rootfs) implements FilesystemStep {
        @Override
        public Opcode opcode() {
            return Opcode.ENTER_ROOT;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.u8(how.code()).str(rootfs);
        }

        static EnterRoot readFrom(PlanReader in) {
            return new EnterRoot(RootSwitch.read(in), in.str());
        }
    }

    /**
     * Re-open {@code /dev/null} of the new root over each of fds 0 to 2 that refers to a
     * {@code /dev/null} (same rdev), so the container holds none of the host's.
     */
    record ReopenDevNull() implements FilesystemStep {
        @Override
        public Opcode opcode() {
            return Opcode.REOPEN_DEV_NULL;
        }

        @Override
        public void writeTo(PlanWriter out) {
        }

        static ReopenDevNull readFrom(PlanReader in) {
            return new ReopenDevNull();
        }
    }

    /**
     * Create {@code path} as an empty file, bind-mount the process's pseudo-terminal (the pty
     * the helper allocated for {@code process.terminal}) onto it, and make it the controlling
     * terminal ({@code TIOCSCTTY}) of stdio.
     *
     * @param path {@code /dev/console}
     */
    record BindConsole(String path) implements FilesystemStep {
        @Override
        public Opcode opcode() {
            return Opcode.BIND_CONSOLE;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(path);
        }

        static BindConsole readFrom(PlanReader in) {
            return new BindConsole(in.str());
        }
    }
}
