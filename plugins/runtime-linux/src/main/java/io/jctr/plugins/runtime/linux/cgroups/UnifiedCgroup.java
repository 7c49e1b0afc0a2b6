package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.plugins.runtime.linux.plan.PlanOptions.CgroupMountSource;
import io.jctr.plugins.runtime.linux.spec.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A container's cgroup on a v2 (unified) host: one directory. Immutable. */
final class UnifiedCgroup implements ContainerCgroup {

    private final Path root;
    private final Path dir;

    /** @param root the cgroup2 mount point; {@code dir} the container's directory below it */
    UnifiedCgroup(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
    }

    @Override
    public Map<String, Path> paths() {
        return Map.of("", dir);
    }

    @Override
    public boolean exists() {
        return Files.isDirectory(dir);
    }

    @Override
    public Created create(Resources resources) {
        ResourceCheck.check(resources, true);
        List<Path> made = new ArrayList<>();
        try {
            enableControllers(root);
            for (Path p = root, rel = root.relativize(dir); rel != null; ) {
                // mkdir one level, then hand its controllers down if it is not the leaf
                p = p.resolve(rel.getName(0));
                made.addAll(CgroupTree.make(root, p, x -> { }));
                rel = rel.getNameCount() > 1 ? rel.subpath(1, rel.getNameCount()) : null;
                if (rel != null) {
                    enableControllers(p);
                }
            }
            new UnifiedResources(dir).apply(resources);
            devices(resources);
        } catch (RuntimeException e) {
            CgroupTree.removeAll(made);
            throw e;
        }
        return new Created(List.of(dir.resolve("cgroup.procs")),
                new CgroupMountSource.Unified(dir.toString()));
    }

    /**
     * Makes every controller available in {@code parent} available to its children: all in one
     * write, else one by one so that a controller the kernel refuses (e.g. in a threaded
     * subtree) does not block the rest, as runc does.
     */
    private static void enableControllers(Path parent) {
        if (!CgroupFiles.exists(parent, "cgroup.controllers")) {
            return;
        }
        String available = CgroupFiles.read(parent, "cgroup.controllers");
        if (available.isEmpty()) {
            return;
        }
        List<String> plus = new ArrayList<>();
        for (String c : available.split("\\s+")) {
            plus.add("+" + c);
        }
        try {
            CgroupFiles.write(parent, "cgroup.subtree_control", String.join(" ", plus));
        } catch (RuntimeException all) {
            for (String c : plus) {
                try {
                    CgroupFiles.write(parent, "cgroup.subtree_control", c);
                } catch (RuntimeException ignored) {
                    // a setting that needs it fails later, naming its missing file
                }
            }
        }
    }

    @Override
    public void update(Resources resources) {
        ResourceCheck.check(resources, true);
        ResourceCheck.limitAboveUsage(resources, dir, "memory.current");
        new UnifiedResources(dir).apply(resources);
        devices(resources);
    }

    /** v2 has no devices files: the rules become an eBPF program attached to the cgroup. */
    private void devices(Resources resources) {
        if (resources != null && !resources.devices().isEmpty()) {
            Bpf.installDeviceProgram(dir, DeviceFilter.compile(resources.devices()));
        }
    }

    @Override
    public void addProcess(long pid) {
        CgroupFiles.write(dir, "cgroup.procs", Long.toString(pid));
    }

    @Override
    public List<Long> pids() {
        return CgroupTree.pids(dir);
    }

    @Override
    public void signalAll(int signal) {
        boolean freezer = CgroupFiles.exists(dir, "cgroup.freeze");
        Killer.signalAll(this::pids, signal, freezer ? this::freeze : null,
                freezer ? this::thaw : null);
    }

    @Override
    public void freeze() {
        Freezer.freezeV2(dir);
    }

    @Override
    public void thaw() {
        Freezer.thawV2(dir);
    }

    @Override
    public FreezerState state() {
        return exists() ? Freezer.stateV2(dir) : FreezerState.THAWED;
    }

    @Override
    public CgroupStats stats() {
        return UnifiedStats.read(dir);
    }

    @Override
    public OomWatch watchOom() {
        return new MemoryEventsOomWatch(dir);
    }

    @Override
    public void destroy(boolean killProcesses) {
        if (killProcesses && exists()) {
            Killer.killAll(this::pids, null, dir);
        }
        CgroupTree.remove(dir);
    }
}
