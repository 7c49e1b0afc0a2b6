package io.jctr.plugins.runtime.linux.container;

import io.jctr.plugins.runtime.linux.cgroups.CgroupLayout;
import io.jctr.plugins.runtime.linux.cgroups.CgroupManager;
import io.jctr.plugins.runtime.linux.launch.HelperStarter;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The process a container operation is done for, where that is not this JVM: the
 * {@code jctr-runc} server works for short-lived clients, and runc's semantics are the
 * client's. Its helpers must be the client's children (so a detached init is re-parented to
 * the client's subreaper, as containerd's shim expects), hooks with no environment of their own
 * inherit the client's, and a relative {@code cgroupsPath} is below the client's cgroup.
 *
 * @param starter     starts helpers
 * @param environment what hooks without an {@code env} inherit; {@code null}: this JVM's
 * @param cgroups     the cgroup manager for the caller's cgroups (asked lazily: most commands
 *                    need none)
 */
public record Caller(HelperStarter starter, Map<String, String> environment, Supplier<CgroupManager> cgroups) {

    /** This JVM's cgroups, read when first needed. */
    private static final class OwnCgroups {
        static final CgroupManager MANAGER = CgroupManager.system();
    }

    /** This JVM itself. */
    public static final Caller SELF = new Caller(HelperStarter.LOCAL, null, () -> OwnCgroups.MANAGER);

    /** Copies the environment. */
    public Caller {
        environment = environment == null ? null : Map.copyOf(environment);
    }

    /**
     * Another process in this JVM's namespaces: {@code pid}'s cgroups, read once when first
     * needed.
     */
    public static Caller process(int pid, HelperStarter starter, Map<String, String> environment) {
        Supplier<CgroupManager> cgroups = new Supplier<>() {
            private CgroupManager manager;

            @Override
            public synchronized CgroupManager get() {
                if (manager == null) {
                    manager = new CgroupManager(CgroupLayout.ofProcess(pid), CgroupManager.DEFAULT_PARENT);
                }
                return manager;
            }
        };
        return new Caller(starter, environment, cgroups);
    }
}
