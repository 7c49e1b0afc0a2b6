package io.jctr.plugins.runtime.linux.checkpoint;

import io.jctr.plugins.runtime.linux.spec.Linux;
import io.jctr.plugins.runtime.linux.spec.Mount;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code criu dump}/{@code restore} options for a container, as runc 1.1 sets them through
 * CRIU's RPC (libcontainer/container_linux.go), spelled as criu's command line. Stateless.
 */
final class CriuArguments {

    /** runc's annotation naming a container's own CRIU configuration file. */
    static final String CONFIG_ANNOTATION = "org.criu.config";
    /** runc's configuration file for every container when the annotation is absent. */
    static final Path DEFAULT_CONFIG = Path.of("/etc/criu/runc.conf");

    private CriuArguments() {
    }

    /** For {@code criu dump} (or {@code pre-dump}) of the container whose init is {@code pid}. */
    static List<String> dump(CriuOptions o, RuntimeSpec spec, int pid, Path rootfs) {
        List<String> a = common(o, spec);
        a.addAll(List.of("--tree", Integer.toString(pid), "--root", rootfs.toString()));
        // Bind mounts come from outside the container: CRIU records them by their destination,
        // and restore maps that name back to the source.
        for (Mount m : spec.mounts()) {
            if (isBind(m)) {
                a.addAll(List.of("--ext-mount-map", m.destination() + ":" + m.destination()));
            }
        }
        for (String masked : maskedFiles(spec, Path.of("/proc", Integer.toString(pid), "root"))) {
            a.addAll(List.of("--ext-mount-map", masked + ":/dev/null"));
        }
        if (o.leaveRunning() || o.preDump()) {
            a.add("--leave-running");
        }
        if (o.preDump() || !o.parentPath().isEmpty()) {
            a.add("--track-mem");
        }
        if (!o.parentPath().isEmpty()) {
            a.addAll(List.of("--prev-images-dir", o.parentPath()));
        }
        if (!o.pageServer().isEmpty()) {
            int colon = o.pageServer().lastIndexOf(':');
            a.addAll(List.of("--page-server", "--address", o.pageServer().substring(0, colon),
                    "--port", o.pageServer().substring(colon + 1)));
        }
        return a;
    }

    /** For {@code criu restore} into {@code root} (the container's rootfs, as a mount point). */
    static List<String> restore(CriuOptions o, RuntimeSpec spec, Path root, Path pidFile,
            Map<String, Path> cgroupDirs) throws IOException {
        List<String> a = common(o, spec);
        a.addAll(List.of("--restore-detached", "--pidfile", pidFile.toString(), "--root", root.toString()));
        for (Mount m : spec.mounts()) {
            if (isBind(m)) {
                a.addAll(List.of("--ext-mount-map", m.destination() + ":" + m.source()));
            }
        }
        if (spec.linux() != null && !spec.linux().maskedPaths().isEmpty()) {
            a.addAll(List.of("--ext-mount-map", "/dev/null:/dev/null"));
        }
        for (String root2 : CgroupRoots.of(cgroupDirs)) {
            a.addAll(List.of("--cgroup-root", root2));
        }
        if (hasOwnNetwork(spec) || o.emptyNamespaces().contains("network")) {
            // runc does not manage network devices: the namespace comes back empty
            a.addAll(List.of("--empty-ns", "net"));
        }
        if (!o.lsmProfile().isEmpty()) {
            a.addAll(List.of("--lsm-profile", o.lsmProfile()));
        }
        if (!o.lsmMountContext().isEmpty()) {
            a.addAll(List.of("--lsm-mount-context", o.lsmMountContext()));
        }
        return a;
    }

    private static List<String> common(CriuOptions o, RuntimeSpec spec) {
        List<String> a = new ArrayList<>(List.of("--images-dir", o.imageDir().toString(),
                "--work-dir", o.workDir().toString(),
                "--manage-cgroups=" + (o.manageCgroupsMode().isEmpty() ? "soft" : o.manageCgroupsMode())));
        flag(a, o.tcpEstablished(), "--tcp-established");
        flag(a, o.externalUnixSockets(), "--ext-unix-sk");
        flag(a, o.shellJob(), "--shell-job");
        flag(a, o.fileLocks(), "--file-locks");
        flag(a, o.autoDedup(), "--auto-dedup");
        flag(a, o.lazyPages(), "--lazy-pages");
        if (o.lazyPages() && o.statusFd() >= 0) {
            a.addAll(List.of("--status-fd", Integer.toString(o.statusFd())));
        }
        String config = spec.annotations().get(CONFIG_ANNOTATION);
        if (config != null && !config.isEmpty()) {
            a.addAll(List.of("--config", config));
        } else if (Files.isRegularFile(DEFAULT_CONFIG)) {
            a.addAll(List.of("--config", DEFAULT_CONFIG.toString()));
        }
        return a;
    }

    private static void flag(List<String> a, boolean set, String name) {
        if (set) {
            a.add(name);
        }
    }

    static boolean isBind(Mount m) {
        return m.type().equals("bind") || m.options().contains("bind") || m.options().contains("rbind");
    }

    /** Masked paths that are files, which the runtime masks by binding /dev/null over them. */
    private static List<String> maskedFiles(RuntimeSpec spec, Path root) {
        List<String> out = new ArrayList<>();
        if (spec.linux() == null) {
            return out;
        }
        for (String path : spec.linux().maskedPaths()) {
            Path p = root.resolve(path.startsWith("/") ? path.substring(1) : path);
            if (Files.exists(p) && !Files.isDirectory(p)) {
                out.add(path);
            }
        }
        return out;
    }

    private static boolean hasOwnNetwork(RuntimeSpec spec) {
        if (spec.linux() == null) {
            return false;
        }
        for (Linux.Namespace ns : spec.linux().namespaces()) {
            if (ns.type().equals("network") && (ns.path() == null || ns.path().isEmpty())) {
                return true;
            }
        }
        return false;
    }
}
