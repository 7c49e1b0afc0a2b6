package io.jctr.plugins.runtime.linux.plan;

import io.jctr.plugins.runtime.linux.seccomp.SeccompFilter;
import io.jctr.plugins.runtime.linux.spec.Capability;
import io.jctr.plugins.runtime.linux.spec.JsonPath;
import io.jctr.plugins.runtime.linux.spec.NamespaceSet;
import io.jctr.plugins.runtime.linux.spec.NamespaceType;
import io.jctr.plugins.runtime.linux.spec.Process;
import io.jctr.plugins.runtime.linux.spec.RlimitType;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import io.jctr.plugins.runtime.linux.spec.SysctlName;
import java.util.List;
import java.util.Map;

/** Plans the process phase: kernel settings, limits, identity, privileges, exec. */
final class ProcessPlanner {

    private static final Map<String, Integer> SCHED_POLICIES = Map.of("SCHED_OTHER", 0,
            "SCHED_FIFO", 1, "SCHED_RR", 2, "SCHED_BATCH", 3, "SCHED_ISO", 4, "SCHED_IDLE", 5,
            "SCHED_DEADLINE", 6);
    private static final Map<String, Long> SCHED_FLAGS = Map.of("SCHED_FLAG_RESET_ON_FORK", 0x01L,
            "SCHED_FLAG_RECLAIM", 0x02L, "SCHED_FLAG_DL_OVERRUN", 0x04L,
            "SCHED_FLAG_KEEP_POLICY", 0x08L, "SCHED_FLAG_KEEP_PARAMS", 0x10L,
            "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20L, "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40L);
    private static final Map<String, Integer> IO_CLASSES =
            Map.of("IOPRIO_CLASS_RT", 1, "IOPRIO_CLASS_BE", 2, "IOPRIO_CLASS_IDLE", 3);

    private ProcessPlanner() {
    }

    /** Hostname, domain name, AppArmor profile, sysctls: settings of the new namespaces. */
    static void kernelSettings(RuntimeSpec spec, boolean procMounted, PlanBuilder b) {
        if (!spec.hostname().isEmpty()) {
            b.add(new ProcessStep.SetHostname(spec.hostname()));
        }
        if (!spec.domainname().isEmpty()) {
            b.add(new ProcessStep.SetDomainname(spec.domainname()));
        }
        if (!spec.process().apparmorProfile().isEmpty()) {
            b.add(new ProcessStep.ApplyApparmorProfile(spec.process().apparmorProfile()));
        }
        Map<String, String> sysctl = spec.linux() == null ? Map.of() : spec.linux().sysctl();
        if (!sysctl.isEmpty() && !procMounted) {
            // The writes must reach the container's own namespaces, which only a proc
            // filesystem mounted inside the container (after the root switch) shows.
            throw new SpecException("linux.sysctl", "needs a proc filesystem mounted at /proc");
        }
        sysctl.forEach((key, value) -> b.add(new ProcessStep.WriteSysctl(
                SysctlName.procPath(SysctlName.dotted(key)), value, JsonPath.key("linux.sysctl", key))));
    }

    /**
     * From resource limits to the exec of the program.
     *
     * <p>The seccomp filter, {@code seccomp} unless {@code null}, goes where runc 1.1 loads it
     * (libcontainer/standard_init_linux.go). Installing a filter needs no_new_privs or
     * CAP_SYS_ADMIN. Without no_new_privs it must come before the user switch and the final
     * capability sets take CAP_SYS_ADMIN away: right after the ready sync and the SELinux
     * label, before the working directory. With no_new_privs it comes as late as possible —
     * after the capability sets — so that fewer of the helper's own calls pass through it, but
     * before the wait for {@code start}, so that a filter the kernel refuses fails
     * {@code create}, not {@code start}. Either way the profile must allow what the helper does
     * after it: the wait for {@code start} (open, write, close of the exec FIFO or the helper's
     * equivalent), the startContainer hooks (fork, execve, wait — the hooks themselves run
     * under the filter, as in runc), close_range, execve; without no_new_privs also chdir,
     * prctl (bounding set, keep-caps, ambient), setgroups, setresgid, setresuid and capset.
     * Docker's and containerd's default profiles allow all of them.
     *
     * @param init the container's init, which waits for {@code start} and runs the
     *             startContainer hooks; an exec'd process does neither
     */
    static void identity(RuntimeSpec spec, NamespaceSet ns, PlanOptions opts, SeccompFilter seccomp,
            PlanBuilder b, boolean init) {
        Process p = spec.process();
        for (int i = 0; i < p.rlimits().size(); i++) {
            Process.Rlimit r = p.rlimits().get(i);
            // Still privileged: raising a hard limit needs CAP_SYS_RESOURCE, and RLIMIT_NPROC
            // is checked against the new user at setuid(2)/execve(2).
            b.add(new ProcessStep.SetRlimit(RlimitType.byName(r.type()).orElseThrow().resource(),
                    r.soft(), r.hard(), JsonPath.index("process.rlimits", i)));
        }
        if (spec.linux() != null && spec.linux().personality() != null) {
            boolean linux32 = spec.linux().personality().domain().equals("LINUX32");
            b.add(new ProcessStep.SetPersonality(linux32 ? 0x0008 : 0x0000));
        }
        if (p.ioPriority() != null) {
            b.add(new ProcessStep.SetIoPriority(IO_CLASSES.get(p.ioPriority().ioClass()),
                    p.ioPriority().priority()));
        }
        if (p.scheduler() != null) {
            b.add(scheduler(p.scheduler()));
        }
        if (p.noNewPrivileges()) {
            b.add(new IdentityStep.SetNoNewPrivileges());
        }
        b.add(new ProcessStep.SyncWithRuntime(ProcessStep.SyncPoint.READY));
        if (!p.selinuxLabel().isEmpty()) {
            b.add(new ProcessStep.SetSelinuxLabel(p.selinuxLabel()));
        }
        if (seccomp != null && !p.noNewPrivileges()) {
            // The user is not switched nor a capability dropped yet: CAP_SYS_ADMIN allows it.
            addSeccomp(spec, seccomp, b);
        }
        // Before the user switch, like runc: a working directory only root may search still
        // works, and the process keeps it across setuid(2).
        b.add(new IdentityStep.Chdir(SecureJoin.clean(p.cwd())));
        CapabilityMasks caps = CapabilityMasks.of(p.capabilities(), opts.lastCap(), b);
        // PR_CAPBSET_DROP needs CAP_SETPCAP in the effective set, which setuid(2) to a
        // non-root user clears: the bounding set goes first.
        b.add(new IdentityStep.DropBoundingSet(caps.bounding(), opts.lastCap()));
        b.add(switchUser(p.user(), ns, opts));
        // With PR_SET_KEEPCAPS the permitted set survived the switch; now set the final sets,
        // then ambient, which the kernel only accepts within permitted and inheritable.
        b.add(new IdentityStep.SetCapabilities(caps.effective(), caps.permitted(), caps.inheritable()));
        b.add(new IdentityStep.SetAmbient(caps.ambient(), opts.lastCap()));
        if (seccomp != null && p.noNewPrivileges()) {
            // no_new_privs allows the filter at any privilege: as late as possible.
            addSeccomp(spec, seccomp, b);
        }
        if (init) {
            b.add(new IdentityStep.WaitForStart());
        }
        if (init && spec.hooks() != null && !spec.hooks().startContainer().isEmpty()) {
            b.add(new ProcessStep.RunHooks(ProcessStep.HookPhase.START_CONTAINER,
                    HookCommands.commands(spec.hooks().startContainer())));
        }
        // CVE-2024-21626: a descriptor leaked into the exec (a directory of the host, say) is
        // a way out of the container; only stdio and the descriptors asked for pass.
        b.add(new IdentityStep.CloseInheritedFds(3 + opts.preserveFds()));
        b.add(new IdentityStep.Exec(p.args(), p.env()));
    }

    private static IdentityStep.SwitchUser switchUser(Process.User user, NamespaceSet ns, PlanOptions opts) {
        // A rootless user namespace denies setgroups(2) (see WriteIdMaps).
        boolean setGroups = !(opts.rootless() && ns.isNew(NamespaceType.USER));
        List<Long> gids = user.additionalGids();
        if (!setGroups && !gids.isEmpty()) {
            throw new SpecException("process.user.additionalGids",
                    "cannot be set in a rootless user namespace, where setgroups is denied");
        }
        return new IdentityStep.SwitchUser(user.uid(), user.gid(), gids, setGroups);
    }

    private static ProcessStep.SetScheduler scheduler(Process.Scheduler s) {
        long flags = 0;
        for (String f : s.flags()) {
            flags |= SCHED_FLAGS.get(f);
        }
        return new ProcessStep.SetScheduler(SCHED_POLICIES.get(s.policy()), flags, s.nice(),
                s.priority(), s.runtime(), s.deadline(), s.period());
    }

    /** Capability sets as masks, limited to what the kernel knows. */
    record CapabilityMasks(long bounding, long effective, long permitted, long inheritable,
            long ambient) {

        /**
         * Masks for {@code caps} ({@code null}: every set empty, as runc). Capabilities above
         * {@code lastCap} cannot be granted and are left out with a warning (runtime spec:
         * warn, do not fail), as are ambient ones outside permitted and inheritable, which
         * {@code PR_CAP_AMBIENT_RAISE} would refuse.
         */
        static CapabilityMasks of(Process.Capabilities caps, int lastCap, PlanBuilder b) {
            if (caps == null) {
                return new CapabilityMasks(0, 0, 0, 0, 0);
            }
            long permitted = mask("permitted", caps.permitted(), lastCap, b);
            long inheritable = mask("inheritable", caps.inheritable(), lastCap, b);
            long ambient = 0;
            for (int i = 0; i < caps.ambient().size(); i++) {
                long bit = mask("ambient", List.of(caps.ambient().get(i)), lastCap, b);
                if (bit != 0 && (bit & permitted & inheritable) == 0) {
                    b.warn(JsonPath.index("process.capabilities.ambient", i) + ": "
                            + caps.ambient().get(i) + " is not in both the permitted and the "
                            + "inheritable set; not raised");
                } else {
                    ambient |= bit;
                }
            }
            return new CapabilityMasks(mask("bounding", caps.bounding(), lastCap, b),
                    mask("effective", caps.effective(), lastCap, b), permitted, inheritable, ambient);
        }

        private static long mask(String set, List<String> names, int lastCap, PlanBuilder b) {
            long mask = 0;
            for (String name : names) {
                Capability c = Capability.byName(name).orElseThrow();
                if (c.number() > lastCap) {
                    b.warn("process.capabilities." + set + ": " + name + " is unknown to this "
                            + "kernel (cap_last_cap " + lastCap + "); not granted");
                } else {
                    mask |= c.bit();
                }
            }
            return mask;
        }
    }

    /** The filter, after the declaration of its agent when it notifies one. */
    private static void addSeccomp(RuntimeSpec spec, SeccompFilter seccomp, PlanBuilder b) {
        if (seccomp.notifies()) {
            b.add(new IdentityStep.SeccompListener(spec.linux().seccomp().listenerPath(),
                    spec.linux().seccomp().listenerMetadata(), spec.ociVersion()));
        }
        b.add(new IdentityStep.SetSeccomp(seccomp.flags(), seccomp.bpf()));
    }
}
