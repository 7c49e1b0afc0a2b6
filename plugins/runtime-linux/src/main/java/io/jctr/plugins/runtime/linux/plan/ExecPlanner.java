package io.jctr.plugins.runtime.linux.plan;

import io.jctr.plugins.runtime.linux.seccomp.SeccompCompiler;
import io.jctr.plugins.runtime.linux.seccomp.SeccompFilter;
import io.jctr.plugins.runtime.linux.spec.NamespaceSet;
import io.jctr.plugins.runtime.linux.spec.NamespaceType;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import io.jctr.plugins.runtime.linux.spec.SpecValidator;
import java.util.Map;

/**
 * Plans an extra process in a running container (runc's {@code exec}): join each of the
 * container's namespaces through its init's {@code /proc/<pid>/ns} files — the user namespace
 * first, as in {@link NamespacePlanner} — then the process phase of {@link LaunchPlanner}
 * without the wait for {@code start} and without the container's startContainer hooks, which
 * belong to its init. Nothing is mounted: the container's root is the joined mount namespace's.
 * Stateless and thread-safe.
 */
public final class ExecPlanner {

    /** The {@code /proc/<pid>/ns} file of each namespace type. */
    private static final Map<NamespaceType, String> NS_FILES = Map.of(
            NamespaceType.USER, "user", NamespaceType.IPC, "ipc", NamespaceType.UTS, "uts",
            NamespaceType.NETWORK, "net", NamespaceType.PID, "pid", NamespaceType.MOUNT, "mnt",
            NamespaceType.CGROUP, "cgroup", NamespaceType.TIME, "time");

    private ExecPlanner() {
    }

    /**
     * Plans {@code spec.process()} inside the container whose init is {@code initPid}.
     *
     * @param spec the container's spec with {@code process} replaced by the one to execute
     * @throws SpecException when the process is invalid or missing
     */
    public static LaunchPlan plan(RuntimeSpec spec, int initPid, PlanOptions opts) {
        SpecValidator.check(spec);
        if (spec.process() == null) {
            throw new SpecException("process", "must be set to execute a process");
        }
        // runc applies the container's filter to every process it executes in it.
        SeccompFilter seccomp = spec.linux() == null || spec.linux().seccomp() == null ? null
                : SeccompCompiler.compile(spec.linux().seccomp());
        NamespaceSet ns = NamespaceSet.of(spec);
        PlanBuilder b = new PlanBuilder();
        for (NamespaceType type : NamespaceType.values()) {
            if (ns.contains(type)) {
                b.add(new NamespaceStep.JoinNamespace(type, "/proc/" + initPid + "/ns/" + NS_FILES.get(type)));
            }
        }
        if (!spec.process().apparmorProfile().isEmpty()) {
            b.add(new ProcessStep.ApplyApparmorProfile(spec.process().apparmorProfile()));
        }
        if (seccomp != null) {
            seccomp.warnings().forEach(b::warn);
        }
        ProcessPlanner.identity(spec, ns, opts, seccomp, b, false);
        return b.build();
    }
}
