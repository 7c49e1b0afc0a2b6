package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.plugins.runtime.linux.plan.PlanOptions.CgroupMountSource;
import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.spi.JctrException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's cgroups on a v1 host: one directory in every mounted hierarchy, named ones
 * ({@code name=systemd}) included as runc does, plus the cgroup2 hierarchy in hybrid mode so
 * that the container has a v2 cgroup of its own too ({@code cgroup.kill}, PSI). Immutable.
 */
final class LegacyCgroup implements ContainerCgroup {

    /** One hierarchy and the container's directory in it. */
    record Entry(CgroupLayout.Hierarchy hierarchy, Path dir) {
    }

    private final List<Entry> entries;
    private final Entry unified;

    LegacyCgroup(CgroupLayout layout, CgroupPath path) {
        List<Entry> list = new ArrayList<>();
        for (CgroupLayout.Hierarchy h : layout.hierarchies()) {
            list.add(new Entry(h, path.in(h)));
        }
        this.entries = List.copyOf(list);
        this.unified = layout.unified() == null ? null
                : new Entry(layout.unified(), path.in(layout.unified()));
    }

    /** The container's directory for {@code controller}, {@code null} when not mounted. */
    Path dir(String controller) {
        for (Entry e : entries) {
            if (e.hierarchy().has(controller)) {
                return e.dir();
            }
        }
        return null;
    }

    private List<Entry> all() {
        List<Entry> out = new ArrayList<>(entries);
        if (unified != null) {
            out.add(unified);
        }
        return out;
    }

    @Override
    public Map<String, Path> paths() {
        Map<String, Path> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            for (String controller : e.hierarchy().controllers()) {
                out.put(controller, e.dir());
            }
        }
        if (unified != null) {
            out.put("", unified.dir());
        }
        return out;
    }

    @Override
    public boolean exists() {
        return all().stream().anyMatch(e -> Files.isDirectory(e.dir()));
    }

    @Override
    public Created create(Resources resources) {
        ResourceCheck.check(resources, false);
        for (Map.Entry<String, String> need
                : LegacyResources.controllersFor(resources).entrySet()) {
            if (dir(need.getKey()) == null) {
                throw LegacyResources.notMounted(need.getKey(), need.getValue());
            }
        }
        List<Path> made = new ArrayList<>();
        try {
            for (Entry e : all()) {
                boolean cpuset = e.hierarchy().has("cpuset");
                made.addAll(CgroupTree.make(e.hierarchy().mountPoint(), e.dir(),
                        cpuset ? LegacyCgroup::inheritCpuset : p -> { }));
                if (cpuset) {
                    fillCpusetDown(e.hierarchy().mountPoint(), e.dir());
                }
            }
            new LegacyResources(this::dir).apply(resources);
        } catch (RuntimeException e) {
            CgroupTree.removeAll(made);
            throw e;
        }
        List<Path> procs = new ArrayList<>();
        List<CgroupMountSource.Hierarchy> mount = new ArrayList<>();
        for (Entry e : all()) {
            procs.add(e.dir().resolve("cgroup.procs"));
        }
        for (Entry e : entries) {
            mount.add(new CgroupMountSource.Hierarchy(e.hierarchy().name(), e.dir().toString()));
        }
        return new Created(procs, new CgroupMountSource.Legacy(mount));
    }

    /**
     * An existing ancestor may have empty cpus or mems too (made by someone else with mkdir, as
     * a pod's parent often is), and then no task can join anything below it: fill every level
     * from the hierarchy's root down, as runc does.
     */
    private static void fillCpusetDown(Path root, Path dir) {
        Path relative = root.relativize(dir);
        Path level = root;
        for (Path name : relative) {
            level = level.resolve(name);
            inheritCpuset(level);
        }
    }

    /** A new cpuset cgroup starts with no cpus and no memory nodes: copy the parent's. */
    private static void inheritCpuset(Path dir) {
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
            if (CgroupFiles.read(dir, file).isEmpty()) {
                CgroupFiles.write(dir, file, CgroupFiles.read(dir.getParent(), file));
            }
        }
    }

    @Override
    public void update(Resources resources) {
        ResourceCheck.check(resources, false);
        Path memory = dir("memory");
        if (memory != null) {
            ResourceCheck.limitAboveUsage(resources, memory, "memory.usage_in_bytes");
        }
        new LegacyResources(this::dir).apply(resources);
    }

    @Override
    public void addProcess(long pid) {
        for (Entry e : all()) {
            CgroupFiles.write(e.dir(), "cgroup.procs", Long.toString(pid));
        }
    }

    @Override
    public List<Long> pids() {
        Path freezer = dir("freezer");
        return CgroupTree.pids(freezer != null ? freezer : all().get(0).dir());
    }

    @Override
    public void signalAll(int signal) {
        Path freezer = dir("freezer");
        Killer.signalAll(this::pids, signal, freezer == null ? null : this::freeze,
                freezer == null ? null : this::thaw);
    }

    @Override
    public void freeze() {
        Freezer.freezeV1(freezer());
    }

    @Override
    public void thaw() {
        Freezer.thawV1(freezer());
    }

    @Override
    public FreezerState state() {
        Path d = dir("freezer");
        return d == null || !Files.isDirectory(d) ? FreezerState.THAWED : Freezer.stateV1(d);
    }

    private Path freezer() {
        Path d = dir("freezer");
        if (d == null) {
            throw JctrException.failedPrecondition("cgroup: the freezer controller is not mounted");
        }
        return d;
    }

    @Override
    public CgroupStats stats() {
        return LegacyStats.read(this::dir);
    }

    @Override
    public OomWatch watchOom() {
        Path d = dir("memory");
        if (d == null) {
            throw JctrException.failedPrecondition("cgroup: the memory controller is not mounted");
        }
        return EventFdOomWatch.open(d);
    }

    @Override
    public void destroy(boolean killProcesses) {
        if (killProcesses && exists()) {
            Path freezer = dir("freezer");
            Killer.killAll(this::pids, freezer == null || !Files.isDirectory(freezer) ? null
                    : freezer, unified == null ? null : unified.dir());
        }
        JctrException failure = null;
        for (Entry e : all()) {
            try {
                CgroupTree.remove(e.dir());
            } catch (JctrException ex) {
                if (failure == null) {
                    failure = ex;
                } else {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
