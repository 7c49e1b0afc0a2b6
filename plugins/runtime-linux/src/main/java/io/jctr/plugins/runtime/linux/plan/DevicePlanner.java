package io.jctr.plugins.runtime.linux.plan;

import io.jctr.plugins.runtime.linux.plan.FilesystemStep.DeviceKind;
import io.jctr.plugins.runtime.linux.plan.FilesystemStep.PathKind;
import io.jctr.plugins.runtime.linux.spec.JsonPath;
import io.jctr.plugins.runtime.linux.spec.Linux;
import io.jctr.plugins.runtime.linux.spec.NamespaceSet;
import io.jctr.plugins.runtime.linux.spec.NamespaceType;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans {@code /dev}: the default devices the specification requires, the spec's devices, the
 * {@code /dev/ptmx} link to the devpts instance, and the {@code /proc/self/fd} links.
 */
final class DevicePlanner {

    /** A device to create, with the JSON path it came from ({@code ""} for defaults). */
    private record Node(Linux.Device device, String origin) {
    }

    /** Runtime spec 1.1, "Default Devices"; numbers from the kernel's devices.txt. */
    private static final List<Linux.Device> DEFAULTS = List.of(
            charDevice("/dev/null", 1, 3),
            charDevice("/dev/zero", 1, 5),
            charDevice("/dev/full", 1, 7),
            charDevice("/dev/random", 1, 8),
            charDevice("/dev/urandom", 1, 9),
            charDevice("/dev/tty", 5, 0));

    private static final long S_IFMT = 0170000;

    private DevicePlanner() {
    }

    static void plan(RuntimeSpec spec, NamespaceSet ns, PlanOptions opts, RootfsView view,
            PlanBuilder b) throws IOException {
        // mknod(2) applies the umask to the mode; clear it so nodes get exactly their mode.
        b.add(new ProcessStep.SetUmask(0));
        // mknod(2) of a device needs CAP_MKNOD in the initial user namespace: in any other
        // user namespace the host's node is bind-mounted instead.
        boolean bind = opts.runningInUserNamespace() || ns.contains(NamespaceType.USER);
        Set<String> made = new HashSet<>();
        for (Node node : nodes(spec)) {
            Linux.Device d = node.device();
            if (d.path().equals("/dev/ptmx")) {
                continue; // the link below provides it
            }
            String origin = node.origin();
            String target = view.resolve(d.path(), origin.isEmpty() ? "linux.devices" : origin + ".path");
            if (made.add(parent(target))) {
                b.add(new FilesystemStep.MakePath(parent(target), PathKind.DIRECTORY, origin));
            }
            if (bind) {
                b.add(new FilesystemStep.MakePath(target, PathKind.FILE, origin));
                b.add(new MountStep.Mount(SecureJoin.clean(d.path()), target, "",
                        MountFlags.MS_BIND, "", origin));
            } else {
                b.add(makeDevice(d, target, origin));
            }
        }
        b.add(new ProcessStep.SetUmask(0022));
        // devpts(5) with newinstance: the container's ptmx is /dev/pts/ptmx; /dev/ptmx must
        // lead there, not to the host's multiplexer (runtime spec 1.1, "Default Devices").
        String dev = view.resolve("/dev", "mounts");
        b.add(new FilesystemStep.Symlink("pts/ptmx", child(dev, "ptmx"), true));
        b.add(new FilesystemStep.Symlink("/proc/self/fd", child(dev, "fd"), false));
        b.add(new FilesystemStep.Symlink("/proc/self/fd/0", child(dev, "stdin"), false));
        b.add(new FilesystemStep.Symlink("/proc/self/fd/1", child(dev, "stdout"), false));
        b.add(new FilesystemStep.Symlink("/proc/self/fd/2", child(dev, "stderr"), false));
        if (opts.hostHasKcore()) {
            b.add(new FilesystemStep.Symlink("/proc/kcore", child(dev, "core"), false));
        }
    }

    private static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    /** The defaults first, each replaced by a spec device of the same path, then the spec's. */
    private static List<Node> nodes(RuntimeSpec spec) {
        List<Linux.Device> given = spec.linux() == null ? List.of() : spec.linux().devices();
        List<Node> nodes = new ArrayList<>();
        for (Linux.Device d : DEFAULTS) {
            if (given.stream().noneMatch(g -> g.path().equals(d.path()))) {
                nodes.add(new Node(d, ""));
            }
        }
        for (int i = 0; i < given.size(); i++) {
            nodes.add(new Node(given.get(i), JsonPath.index("linux.devices", i)));
        }
        return nodes;
    }

    private static FilesystemStep.MakeDevice makeDevice(Linux.Device d, String target, String origin) {
        DeviceKind kind = switch (d.type()) {
            case "b" -> DeviceKind.BLOCK;
            case "p" -> DeviceKind.FIFO;
            default -> DeviceKind.CHAR; // "c" and "u" (unbuffered character device)
        };
        int mode = d.fileMode() == null ? 0666 : (int) (d.fileMode() & ~S_IFMT);
        long major = kind == DeviceKind.FIFO ? 0 : d.major();
        long minor = kind == DeviceKind.FIFO ? 0 : d.minor();
        return new FilesystemStep.MakeDevice(target, kind, major, minor, mode,
                d.uid() == null ? 0 : d.uid(), d.gid() == null ? 0 : d.gid(), origin);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static Linux.Device charDevice(String path, long major, long minor) {
        return new Linux.Device(path, "c", major, minor, 0666L, 0L, 0L);
    }
}
