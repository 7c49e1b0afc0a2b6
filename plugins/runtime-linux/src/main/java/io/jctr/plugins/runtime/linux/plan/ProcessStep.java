package io.jctr.plugins.runtime.linux.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Steps that set up the container's init process: synchronisation with the runtime, hooks,
 * umask, the new namespaces' kernel settings (hostname, sysctls), LSM labels, limits and
 * scheduling. Identity, privileges and the exec are {@link IdentityStep}s.
 */
public sealed interface ProcessStep extends Step {

    /** Where {@link SyncWithRuntime} stops. */
    enum SyncPoint {
        /**
         * The mounts are done, the root is not switched: the runtime runs the prestart and
         * createRuntime hooks (in its own namespaces) and then lets the helper go on.
         */
        CREATE_RUNTIME_HOOKS(1),
        /** Setup is done except for identity and privileges: the runtime applies what it must. */
        READY(2);

        private final int code;

        SyncPoint(int code) {
            this.code = code;
        }

        int code() {
            return code;
        }

        static SyncPoint read(PlanReader in) {
            int code = in.u8();
            for (SyncPoint s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            throw in.error("unknown sync point " + code);
        }
    }

    /** Which container-namespace hooks {@link RunHooks} runs. */
    enum HookPhase {
        CREATE_CONTAINER(1), START_CONTAINER(2);

        private final int code;

        HookPhase(int code) {
            this.code = code;
        }

        int code() {
            return code;
        }

        static HookPhase read(PlanReader in) {
            int code = in.u8();
            for (HookPhase h : values()) {
                if (h.code == code) {
                    return h;
                }
            }
            throw in.error("unknown hook phase " + code);
        }
    }

    /**
     * {@code umask(mask)}.
     *
     * @param mask permission bits
     */
    record SetUmask(int mask) implements ProcessStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_UMASK;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i32(mask);
        }

        static SetUmask readFrom(PlanReader in) {
            return new SetUmask(in.i32());
        }
    }

    /**
     * Tell the runtime {@code point} is reached and wait until it answers.
     *
     * @param point where
     */
    record SyncWithRuntime(SyncPoint point) implements ProcessStep {
        @Override
        public Opcode opcode() {
            return Opcode.SYNC_WITH_RUNTIME;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.u8(point.code());
        }

        static SyncWithRuntime readFrom(PlanReader in) {
            return new SyncWithRuntime(SyncPoint.read(in));
        }
    }

    /**
     * Run each hook in order, in the container's namespaces, with the container's state JSON
     * (received from the runtime) on its stdin; a hook that exits non-zero or outlives its
     * timeout fails the step.
     *
     * @param phase which hooks
     * @param hooks the commands, at least one
     */
    record RunHooks(HookPhase phase, List<HookCommand> hooks) implements ProcessStep {

        /** Copies the hooks. */
        public RunHooks {
            hooks = List.copyOf(hooks);
        }

        @Override
        public Opcode opcode() {
            return Opcode.RUN_HOOKS;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.u8(phase.code()).i32(hooks.size());
            for (HookCommand h : hooks) {
                out.str(h.path()).strs(h.args()).strs(h.env()).i32(h.timeoutSeconds());
            }
        }

        static RunHooks readFrom(PlanReader in) {
            HookPhase phase = HookPhase.read(in);
            int n = in.count(16);
            List<HookCommand> hooks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                hooks.add(new HookCommand(in.str(), in.strs(), in.strs(), in.i32()));
            }
            return new RunHooks(phase, hooks);
        }
    }

    /**
     * One hook command.
     *
     * @param path           the executable, absolute
     * @param args           argv
     * @param env            the environment
     * @param timeoutSeconds seconds before it is killed, 0 for none
     */
    record HookCommand(String path, List<String> args, List<String> env, int timeoutSeconds) {

        /** Copies the lists. */
        public HookCommand {
            args = List.copyOf(args);
            env = List.copyOf(env);
        }
    }

    /**
     * {@code sethostname(name)}.
     *
     * @param name at most 64 bytes
     */
    record SetHostname(String name) implements ProcessStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_HOSTNAME;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(name);
        }

        static SetHostname readFrom(PlanReader in) {
            return new SetHostname(in.str());
        }
    }

    /**
     * {@code setdomainname(name)}.
     *
     * @param name at most 64 bytes
     */
    record SetDomainname(String name) implements ProcessStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_DOMAINNAME;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(name);
        }

        static SetDomainname readFrom(PlanReader in) {
            return new SetDomainname(in.str());
        }
    }

    /**
     * Write {@code "exec " + profile} to {@code /proc/thread-self/attr/apparmor/exec} (or, on
     * kernels without it, {@code /proc/thread-self/attr/exec}), effective at the next execve.
     *
     * @param profile the profile name
     */
    record ApplyApparmorProfile(String profile) implements ProcessStep {
        @Override
        public Opcode opcode() {
            return Opcode.APPLY_APPARMOR_PROFILE;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(profile);
        }

        static ApplyApparmorProfile readFrom(PlanReader in) {
            return new ApplyApparmorProfile(in.str());
        }
    }

    /**
     * Write {@code label} to {@code /proc/thread-self/attr/exec}, effective at the next execve.
     *
     * @param label the SELinux process label
     */
    record SetSelinuxLabel(String label) implements ProcessStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_SELINUX_LABEL;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(label);
        }

        static SetSelinuxLabel readFrom(PlanReader in) {
            return new SetSelinuxLabel(in.str());
        }
    }

    /**
     * Write {@code value} to the file {@code path} (truncating).
     *
     * @param path   under {@code /proc/sys}, in the new root
     * @param value  the value, as given
     * @param origin the JSON path it came from
     */
    record WriteSysctl(String path, String value, String origin) implements ProcessStep {
        @Override
        public Opcode opcode() {
            return Opcode.WRITE_SYSCTL;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(path).str(value).str(origin);
        }

        static WriteSysctl readFrom(PlanReader in) {
            return new WriteSysctl(in.str(), in.str(), in.str());
        }
    }

    /**
     * {@code setrlimit(resource, {soft, hard})}.
     *
     * @param resource the kernel's resource number
     * @param soft     rlim_cur, uint64 bits ({@code -1} is RLIM_INFINITY)
     * @param hard     rlim_max, uint64 bits
     * @param origin   the JSON path it came from
     */
    record SetRlimit(int resource, long soft, long hard, String origin) implements ProcessStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_RLIMIT;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i32(resource).i64(soft).i64(hard).str(origin);
        }

        static SetRlimit readFrom(PlanReader in) {
            return new SetRlimit(in.i32(), in.i64(), in.i64(), in.str());
        }
    }

    /**
     * {@code personality(persona)}.
     *
     * @param persona {@code PER_LINUX} (0) or {@code PER_LINUX32} (8)
     */
    record SetPersonality(long persona) implements ProcessStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_PERSONALITY;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i64(persona);
        }

        static SetPersonality readFrom(PlanReader in) {
            return new SetPersonality(in.i64());
        }
    }

    /**
     * {@code ioprio_set(IOPRIO_WHO_PROCESS, 0, ioClass << 13 | priority)}.
     *
     * @param ioClass  1 (RT), 2 (BE) or 3 (IDLE)
     * @param priority 0 to 7
     */
    record SetIoPriority(int ioClass, int priority) implements ProcessStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_IO_PRIORITY;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i32(ioClass).i32(priority);
        }

        static SetIoPriority readFrom(PlanReader in) {
            return new SetIoPriority(in.i32(), in.i32());
        }
    }

    /**
     * {@code sched_setattr(0, attr, 0)} with the fields of {@code struct sched_attr}.
     *
     * @param policy   {@code SCHED_*} number
     * @param flags    {@code SCHED_FLAG_*} bits
     * @param nice     the nice value
     * @param priority the static priority
     * @param runtime  ns, uint64 bits
     * @param deadline ns, uint64 bits
     * @param period   ns, uint64 bits
     */
    record SetScheduler(int policy, long flags, int nice, int priority, long runtime,
            long deadline, long period) implements ProcessStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_SCHEDULER;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i32(policy).i64(flags).i32(nice).i32(priority).i64(runtime).i64(deadline)
                    .i64(period);
        }

        static SetScheduler readFrom(PlanReader in) {
            return new SetScheduler(in.i32(), in.i64(), in.i32(), in.i32(), in.i64(), in.i64(),
                    in.i64());
        }
    }
}
