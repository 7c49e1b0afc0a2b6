package io.jctr.plugins.runtime.linux.plan;

import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_BIND;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_RDONLY;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REC;
import static io.jctr.plugins.runtime.linux.plan.MountFlags.MS_REMOUNT;

import io.jctr.plugins.runtime.linux.plan.FilesystemStep.PathKind;
import io.jctr.plugins.runtime.linux.spec.JsonPath;
import io.jctr.plugins.runtime.linux.spec.Mount;
import io.jctr.plugins.runtime.linux.spec.NamespaceSet;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Plans the spec's {@code mounts}, in order (the specification requires it), each resolved
 * inside the rootfs. Collects what later phases need: whether {@code /dev} must be populated,
 * whether {@code /proc} is mounted, and the read-only remounts that must wait until the rootfs
 * is complete. Not thread-safe; one instance per plan.
 */
final class MountPlanner {

    /** The files under /proc that lxcfs emulates: the only bind targets runc allows there. */
    private static final Set<String> PROC_BIND_TARGETS = Set.of("/proc/cpuinfo",
            "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps", "/proc/uptime",
            "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev", "/proc/sys/kernel/ns_last_pid");

    private final RootfsView view;
    private final Path bundle;
    private final NamespaceSet ns;
    private final PlanOptions opts;
    private final PlanBuilder b;
    private final List<MountStep.Remount> deferredReadonly = new ArrayList<>();
    private boolean devBound;
    private boolean procMounted;

    MountPlanner(RootfsView view, Path bundle, NamespaceSet ns, PlanOptions opts, PlanBuilder b) {
        this.view = view;
        this.bundle = bundle;
        this.ns = ns;
        this.opts = opts;
        this.b = b;
    }

    /** Whether a bind mount provides /dev, so the runtime does not populate it (as runc). */
    boolean devBound() {
        return devBound;
    }

    /** Whether a proc filesystem is mounted at /proc. */
    boolean procMounted() {
        return procMounted;
    }

    /** Read-only remounts of mounts that had to stay writable while the rootfs was built. */
    List<MountStep.Remount> deferredReadonly() {
        return List.copyOf(deferredReadonly);
    }

    void plan(List<Mount> mounts) throws IOException {
        for (int i = 0; i < mounts.size(); i++) {
            planMount(JsonPath.index("mounts", i), mounts.get(i));
        }
    }

    private void planMount(String origin, Mount m) throws IOException {
        MountOptions.Parsed o = MountOptions.parse(m.options());
        if (o.tmpcopyup()) {
            throw new SpecException(JctrException.Kind.NOT_IMPLEMENTED, origin + ".options",
                    "tmpcopyup is not supported");
        }
        if (o.idmap() || !m.uidMappings().isEmpty()) {
            throw new SpecException(JctrException.Kind.NOT_IMPLEMENTED, origin,
                    "id-mapped mounts are not supported yet");
        }
        String target = view.resolve(m.destination(), origin + ".destination");
        if (m.isBind()) {
            planBind(origin, m, o, target);
        } else if (m.type().equals("cgroup")) {
            new CgroupMountPlanner(ns, opts, b).plan(origin, m, o, target)
                    .ifPresent(deferredReadonly::add);
        } else {
            planFilesystem(origin, m, o, target);
        }
        view.addMountPoint(target);
        if (m.isBind() && target.equals("/dev")) {
            devBound = true;
        }
    }

    private void planBind(String origin, Mount m, MountOptions.Parsed o, String target)
            throws IOException {
        Path source = bundle.resolve(m.source()).normalize();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(source, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new SpecException(JctrException.Kind.NOT_FOUND, origin + ".source",
                    JsonPath.quote(source.toString()) + " does not exist");
        }
        checkProcTarget(origin, target, "proc".equals(fileStoreType(source)));
        b.add(new FilesystemStep.MakePath(target, attrs.isDirectory() ? PathKind.DIRECTORY
                : PathKind.FILE, origin));
        // mount(2): MS_BIND ignores every other flag but MS_REC, and data.
        b.add(new MountStep.Mount(source.toString(), target, "", o.flags() & (MS_BIND | MS_REC),
                "", origin));
        propagationAndAttrs(origin, o, target);
        if ((o.flags() & ~(MS_REC | MS_REMOUNT | MS_BIND)) != 0) {
            // ...so per-mount flags (ro, nosuid, ...) take a MS_REMOUNT | MS_BIND call of their
            // own, which changes only the flags of this one mount, not of the submounts rbind
            // brought along (use rro and friends for those).
            b.add(new MountStep.Remount(target, o.flags() | MS_REMOUNT, origin));
        }
    }

    private void planFilesystem(String origin, Mount m, MountOptions.Parsed o, String target)
            throws IOException {
        String type = m.type();
        if (type.equals("proc") || type.equals("sysfs")) {
            checkOrdinaryDirectory(origin, m, target);
        } else if (!type.equals("tmpfs") && !type.equals("mqueue")) {
            checkProcTarget(origin, target, false);
        }
        if (type.equals("proc") && target.equals("/proc")) {
            procMounted = true;
        }
        BasicFileAttributes before = lstat(view.onDisk(target));
        b.add(new FilesystemStep.MakePath(target, PathKind.DIRECTORY, origin));
        long flags = o.flags();
        if ((type.equals("tmpfs") || target.equals("/dev")) && (flags & MS_RDONLY) != 0) {
            // Mounted writable: device nodes, links and mount points are still to be created
            // in it; the read-only remount comes when the rootfs is complete (as runc).
            flags &= ~MS_RDONLY;
            deferredReadonly.add(new MountStep.Remount(target,
                    o.flags() | MS_REMOUNT | MS_BIND | MS_RDONLY, origin));
        }
        b.add(new MountStep.Mount(m.source(), target, type, flags, o.data(), origin));
        propagationAndAttrs(origin, o, target);
        if (type.equals("tmpfs") && before != null && before.isDirectory()
                && !o.data().matches("(^|.*,)mode=.*")) {
            // A tmpfs root is 1777 unless mode= says otherwise; keep the mode the directory
            // had in the image, as runc does.
            b.add(new FilesystemStep.Chmod(target, mode(view.onDisk(target)), origin));
        }
    }

    private void propagationAndAttrs(String origin, MountOptions.Parsed o, String target) {
        // mount(2): a propagation change takes a call of its own with no other flags but
        // MS_REC; several are applied in the order given.
        for (long p : o.propagation()) {
            b.add(new MountStep.SetPropagation(target, p, origin));
        }
        if (o.hasAttrs()) {
            b.add(new MountStep.SetMountAttr(target, o.attrSet(), o.attrClr(), origin));
        }
    }

    /**
     * procfs and sysfs must land on a real directory of the rootfs: mounting them through a
     * symbolic link has been an escape route before (CVE-2019-16884, CVE-2019-19921), so unlike
     * other mounts the destination may not pass through any link.
     */
    private void checkOrdinaryDirectory(String origin, Mount m, String target) throws IOException {
        String literal = SecureJoin.clean(m.destination());
        BasicFileAttributes attrs = lstat(view.onDisk(literal));
        if (!target.equals(literal) || (attrs != null && !attrs.isDirectory())) {
            throw new SpecException(origin + ".destination", JsonPath.quote(m.destination())
                    + " must be mounted on ordinary directory: a " + m.type() + " mount may not go on a "
                    + "symbolic link or other file");
        }
    }

    /** Nothing but procfs may cover /proc, and below it only lxcfs's files (as runc). */
    private static void checkProcTarget(String origin, String target, boolean sourceIsProc) {
        if (target.equals("/proc")) {
            if (!sourceIsProc) {
                throw new SpecException(origin + ".destination",
                        "\"/proc\" can only be mounted with a proc filesystem");
            }
        } else if (SecureJoin.isWithin(target, "/proc") && !PROC_BIND_TARGETS.contains(target)) {
            throw new SpecException(origin + ".destination", JsonPath.quote(target)
                    + " is inside /proc");
        }
    }

    private static String fileStoreType(Path p) throws IOException {
        return Files.getFileStore(p).type();
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Not a directory")) {
                return null;
            }
            throw e;
        }
    }

    /** The permission bits of {@code p}, with setuid, setgid and sticky (st_mode & 07777). */
    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }
}
