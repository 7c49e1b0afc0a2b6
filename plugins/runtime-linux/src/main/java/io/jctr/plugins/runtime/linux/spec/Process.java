package io.jctr.plugins.runtime.linux.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * The container process ({@code process}).
 *
 * @param terminal        whether the process gets a pseudo-terminal
 * @param consoleSize     the terminal size; {@code null} when absent
 * @param user            the identity; all-zero (root) when absent
 * @param args            argv; {@code args[0]} is looked up with {@code execvp} semantics
 * @param commandLine     Windows only; bound so it round-trips, ignored on Linux
 * @param env             the environment, {@code KEY=value}
 * @param cwd             the working directory, absolute; {@code ""} when absent
 * @param capabilities    the capability sets; {@code null} when absent (then every set is empty)
 * @param rlimits         resource limits
 * @param noNewPrivileges whether {@code PR_SET_NO_NEW_PRIVS} is set
 * @param apparmorProfile the AppArmor profile, {@code ""} when unset
 * @param oomScoreAdj     the OOM score adjustment; {@code null} leaves it unchanged
 * @param scheduler       the scheduling policy; {@code null} when absent
 * @param selinuxLabel    the SELinux process label, {@code ""} when unset
 * @param ioPriority      the I/O priority; {@code null} when absent
 */
public record Process(
        boolean terminal,
        ConsoleSize consoleSize,
        User user,
        List<String> args,
        String commandLine,
        List<String> env,
        String cwd,
        Capabilities capabilities,
        List<Rlimit> rlimits,
        boolean noNewPrivileges,
        String apparmorProfile,
        Integer oomScoreAdj,
        Scheduler scheduler,
        String selinuxLabel,
        IoPriority ioPriority) {

    /** Normalises absent fields to empty ones and an absent user to uid 0, gid 0. */
    public Process {
        user = user == null ? new User(0, 0, null, List.of(), "") : user;
        args = OrEmpty.list(args);
        commandLine = OrEmpty.string(commandLine);
        env = OrEmpty.list(env);
        cwd = OrEmpty.string(cwd);
        rlimits = OrEmpty.list(rlimits);
        apparmorProfile = OrEmpty.string(apparmorProfile);
        selinuxLabel = OrEmpty.string(selinuxLabel);
    }

    /**
     * The terminal size in characters.
     *
     * @param height rows, uint
     * @param width  columns, uint
     */
    public record ConsoleSize(
            @JsonDeserialize(using = Unsigned.Uint32.class) long height,
            @JsonDeserialize(using = Unsigned.Uint32.class) long width) {
    }

    /**
     * The process identity, in the container's user namespace.
     *
     * @param uid            uint32
     * @param gid            uint32
     * @param umask          uint32; {@code null} leaves the umask at the runtime's default
     * @param additionalGids supplementary groups, uint32 each
     * @param username       Windows only
     */
    public record User(
            @JsonDeserialize(using = Unsigned.Uint32.class) long uid,
            @JsonDeserialize(using = Unsigned.Uint32.class) long gid,
            @JsonDeserialize(using = Unsigned.OptionalUint32.class) Long umask,
            @JsonDeserialize(contentUsing = Unsigned.Uint32.class) List<Long> additionalGids,
            String username) {

        /** Normalises absent fields to empty ones. */
        public User {
            additionalGids = OrEmpty.list(additionalGids);
            username = OrEmpty.string(username);
        }
    }

    /**
     * The capability sets, by name ({@code CAP_CHOWN}, ...).
     *
     * @param bounding    the bounding set
     * @param effective   the effective set
     * @param inheritable the inheritable set
     * @param permitted   the permitted set
     * @param ambient     the ambient set
     */
    public record Capabilities(
            List<String> bounding,
            List<String> effective,
            List<String> inheritable,
            List<String> permitted,
            List<String> ambient) {

        /** Normalises absent sets to empty ones. */
        public Capabilities {
            bounding = OrEmpty.list(bounding);
            effective = OrEmpty.list(effective);
            inheritable = OrEmpty.list(inheritable);
            permitted = OrEmpty.list(permitted);
            ambient = OrEmpty.list(ambient);
        }
    }

    /**
     * One resource limit.
     *
     * @param type {@code RLIMIT_NOFILE}, ...; {@code ""} when absent
     * @param hard the ceiling, uint64 as bits ({@code -1} is RLIM_INFINITY)
     * @param soft the enforced value, uint64 as bits
     */
    public record Rlimit(
            String type,
            @JsonDeserialize(using = Unsigned.Uint64.class) long hard,
            @JsonDeserialize(using = Unsigned.Uint64.class) long soft) {

        /** Normalises an absent type to {@code ""}. */
        public Rlimit {
            type = OrEmpty.string(type);
        }
    }

    /**
     * The I/O scheduling class and level ({@code ioprio_set(2)}).
     *
     * @param ioClass  {@code IOPRIO_CLASS_RT}, {@code IOPRIO_CLASS_BE} or {@code IOPRIO_CLASS_IDLE}
     * @param priority 0 (highest) to 7 (lowest)
     */
    public record IoPriority(@JsonProperty("class") String ioClass, int priority) {

        /** Normalises an absent class to {@code ""}. */
        public IoPriority {
            ioClass = OrEmpty.string(ioClass);
        }
    }

    /**
     * The scheduling attributes ({@code sched_setattr(2)}).
     *
     * @param policy   {@code SCHED_OTHER}, ...; {@code ""} when absent
     * @param nice     the nice value, -20 to 19
     * @param priority the static priority for real-time policies
     * @param flags    {@code SCHED_FLAG_*} names
     * @param runtime  SCHED_DEADLINE runtime in ns, uint64 as bits
     * @param deadline SCHED_DEADLINE deadline in ns, uint64 as bits
     * @param period   SCHED_DEADLINE period in ns, uint64 as bits
     */
    public record Scheduler(
            String policy,
            int nice,
            int priority,
            List<String> flags,
            @JsonDeserialize(using = Unsigned.Uint64.class) long runtime,
            @JsonDeserialize(using = Unsigned.Uint64.class) long deadline,
            @JsonDeserialize(using = Unsigned.Uint64.class) long period) {

        /** Normalises absent fields to empty ones. */
        public Scheduler {
            policy = OrEmpty.string(policy);
            flags = OrEmpty.list(flags);
        }
    }
}
