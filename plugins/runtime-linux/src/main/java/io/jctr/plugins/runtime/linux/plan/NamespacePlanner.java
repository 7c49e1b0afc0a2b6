package io.jctr.plugins.runtime.linux.plan;

import io.jctr.plugins.runtime.linux.spec.IdMapping;
import io.jctr.plugins.runtime.linux.spec.Linux;
import io.jctr.plugins.runtime.linux.spec.NamespaceSet;
import io.jctr.plugins.runtime.linux.spec.NamespaceType;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Plans the namespace phase: oom score, joins, new namespaces, id maps, loopback. */
final class NamespacePlanner {

    private NamespacePlanner() {
    }

    static void plan(RuntimeSpec spec, NamespaceSet ns, PlanOptions opts, PlanBuilder b) {
        Integer oom = spec.process().oomScoreAdj();
        if (oom != null) {
            // First: once the helper is non-dumpable (it must be before it joins anything), it
            // can no longer write /proc/self/oom_score_adj without privilege; fork(2)
            // children inherit the value (runc's nsexec does the same).
            b.add(new NamespaceStep.SetOomScoreAdj(oom));
        }
        // Joins before creation, in NamespaceType order: the user namespace first, so that the
        // other setns(2) calls and the namespaces created next are checked against (and owned
        // by) the joined user namespace.
        for (NamespaceType type : NamespaceType.values()) {
            if (ns.isJoined(type)) {
                b.add(new NamespaceStep.JoinNamespace(type, ns.path(type)));
            }
        }
        if (ns.isNew(NamespaceType.TIME)) {
            // clone(2) cannot take CLONE_NEWTIME (its bit lies in CSIGNAL), and offsets can only
            // be written while no process is in the namespace: unshare, write, then fork init.
            b.add(new NamespaceStep.UnshareTime(offsets(spec.linux().timeOffsets())));
        }
        long flags = 0;
        for (NamespaceType type : NamespaceType.values()) {
            if (type != NamespaceType.TIME && ns.isNew(type)) {
                flags |= type.cloneFlag();
            }
        }
        if (flags != 0) {
            // One clone(2) with every flag: with CLONE_NEWUSER the kernel creates the user
            // namespace first and makes it the owner of the others. CLONE_NEWPID applies to
            // children only, so the container's init must be the new child.
            b.add(new NamespaceStep.CreateNamespaces(flags));
        }
        if (ns.isNew(NamespaceType.USER)) {
            // user_namespaces(7): the maps are written once each, by a process in the parent
            // namespace, before the child relies on its ids; an unprivileged writer must first
            // write "deny" to setgroups before the gid map is accepted (Linux 3.19+).
            b.add(new NamespaceStep.WriteIdMaps(lines(spec.linux().uidMappings()),
                    lines(spec.linux().gidMappings()), opts.rootless()));
        }
        if (ns.isNew(NamespaceType.NETWORK)) {
            // A new network namespace has only lo, and it is down (as runc, bring it up).
            b.add(new NamespaceStep.BringUpLoopback());
        }
    }

    private static List<NamespaceStep.ClockOffset> offsets(Map<String, Linux.TimeOffset> offsets) {
        List<NamespaceStep.ClockOffset> out = new ArrayList<>();
        offsets.forEach((clock, o) -> out.add(new NamespaceStep.ClockOffset(clock, o.secs(), o.nanosecs())));
        return out;
    }

    private static List<NamespaceStep.IdMapLine> lines(List<IdMapping> mappings) {
        List<NamespaceStep.IdMapLine> out = new ArrayList<>();
        for (IdMapping m : mappings) {
            out.add(new NamespaceStep.IdMapLine(m.containerId(), m.hostId(), m.size()));
        }
        return out;
    }
}
