package io.jctr.plugins.runtime.linux.cgroups;

import io.jctr.spi.JctrException;

/**
 * The entry point: knows the host's cgroup layout and hands out {@link ContainerCgroup}s.
 * Thread-safe.
 *
 * <pre>{@code
 * CgroupManager cgroups = CgroupManager.system();
 * ContainerCgroup cg = cgroups.open(id, spec.linux().cgroupsPath());
 * ContainerCgroup.Created c = cg.create(spec.linux().resources());
 * // launcher writes its pid into c.procsFiles(); the planner gets c.mountSource()
 * }</pre>
 */
public final class CgroupManager {

    /** The parent of containers whose spec has no {@code cgroupsPath}. */
    public static final String DEFAULT_PARENT = "/jctr";

    private final CgroupLayout layout;
    private final String defaultParent;

    /** @param defaultParent absolute parent of the default path {@code <parent>/<id>} */
    public CgroupManager(CgroupLayout layout, String defaultParent) {
        this.layout = layout;
        this.defaultParent = defaultParent;
    }

    /** This host's layout, with {@link #DEFAULT_PARENT}. */
    public static CgroupManager system() {
        return new CgroupManager(CgroupLayout.detect(), DEFAULT_PARENT);
    }

    public CgroupLayout layout() {
        return layout;
    }

    /**
     * The cgroup of container {@code id} at {@code cgroupsPath} ({@code <defaultParent>/<id>}
     * when empty). Validates the path and changes nothing on the host.
     *
     * @throws JctrException invalid argument for a bad path or id, not implemented for a
     *                       systemd-style {@code slice:prefix:name} path
     */
    public ContainerCgroup open(String id, String cgroupsPath) {
        if (id == null || id.isEmpty() || id.contains("/") || id.equals(".")
                || id.equals("..")) {
            throw JctrException.invalidArgument("cgroup: container id \"%s\" is invalid", id);
        }
        CgroupPath path = CgroupPath.of(cgroupsPath, defaultParent + "/" + id);
        if (layout.mode() == CgroupLayout.Mode.UNIFIED) {
            return new UnifiedCgroup(layout.unified().mountPoint(), path.in(layout.unified()));
        }
        return new LegacyCgroup(layout, path);
    }
}
