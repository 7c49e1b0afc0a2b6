package io.jctr.plugins.runtime.linux.plan;

import io.jctr.plugins.runtime.linux.seccomp.SeccompCompiler;
import io.jctr.plugins.runtime.linux.seccomp.SeccompFilter;
import java.util.Arrays;
import java.util.List;

/**
 * Steps that give the container's init its final identity and privileges and then execute the
 * user's program: no_new_privs, working directory, bounding set, user and groups, capability
 * sets, the seccomp filter, the wait for {@code start}, closing inherited descriptors, exec.
 */
public sealed interface IdentityStep extends Step {

    /** {@code prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)}. */
    record SetNoNewPrivileges() implements IdentityStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_NO_NEW_PRIVILEGES;
        }

        @Override
        public void writeTo(PlanWriter out) {
        }

        static SetNoNewPrivileges readFrom(PlanReader in) {
            return new SetNoNewPrivileges();
        }
    }

    /**
     * {@code chdir(path)}.
     *
     * @param path a path in the new root
     */
    record Chdir(String path) implements IdentityStep {
        @Override
        public Opcode opcode() {
            return Opcode.CHDIR;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(path);
        }

        static Chdir readFrom(PlanReader in) {
            return new Chdir(in.str());
        }
    }

    /**
     * {@code prctl(PR_CAPBSET_DROP, n)} for every capability {@code n} from 0 to
     * {@code lastCap} whose bit is not in {@code keep}.
     *
     * @param keep    the bounding set to keep, a capability mask
     * @param lastCap the highest capability the kernel knows ({@code cap_last_cap})
     */
    record DropBoundingSet(long keep, int lastCap) implements IdentityStep {
        @Override
        public Opcode opcode() {
            return Opcode.DROP_BOUNDING_SET;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i64(keep).i32(lastCap);
        }

        static DropBoundingSet readFrom(PlanReader in) {
            return new DropBoundingSet(in.i64(), in.i32());
        }
    }

    /**
     * {@code prctl(PR_SET_KEEPCAPS, 1)}; if {@code setGroups}, {@code setgroups(gids)};
     * {@code setresgid(gid, gid, gid)}; {@code setresuid(uid, uid, uid)};
     * {@code prctl(PR_SET_KEEPCAPS, 0)}.
     *
     * @param uid            the user id
     * @param gid            the group id
     * @param additionalGids the supplementary groups
     * @param setGroups      whether setgroups is called (it is denied in some user namespaces)
     */
    record SwitchUser(long uid, long gid, List<Long> additionalGids, boolean setGroups)
            implements IdentityStep {

        /** Copies the groups. */
        public SwitchUser {
            additionalGids = List.copyOf(additionalGids);
        }

        @Override
        public Opcode opcode() {
            return Opcode.SWITCH_USER;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i64(uid).i64(gid).longs(additionalGids).bool(setGroups);
        }

        static SwitchUser readFrom(PlanReader in) {
            return new SwitchUser(in.i64(), in.i64(), in.longs(), in.bool());
        }
    }

    /**
     * {@code capset(2)} with the three masks (version 3, 64-bit sets).
     *
     * @param effective   the effective set
     * @param permitted   the permitted set
     * @param inheritable the inheritable set
     */
    record SetCapabilities(long effective, long permitted, long inheritable) implements IdentityStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_CAPABILITIES;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i64(effective).i64(permitted).i64(inheritable);
        }

        static SetCapabilities readFrom(PlanReader in) {
            return new SetCapabilities(in.i64(), in.i64(), in.i64());
        }
    }

    /**
     * {@code prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)}, then
     * {@code PR_CAP_AMBIENT_RAISE} for every bit of {@code raise} up to {@code lastCap}.
     *
     * @param raise   the ambient set, within permitted and inheritable
     * @param lastCap the highest capability the kernel knows
     */
    record SetAmbient(long raise, int lastCap) implements IdentityStep {
        @Override
        public Opcode opcode() {
            return Opcode.SET_AMBIENT;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i64(raise).i32(lastCap);
        }

        static SetAmbient readFrom(PlanReader in) {
            return new SetAmbient(in.i64(), in.i32());
        }
    }

    /** Block until the runtime's {@code start} (runc's exec FIFO). */
    record WaitForStart() implements IdentityStep {
        @Override
        public Opcode opcode() {
            return Opcode.WAIT_FOR_START;
        }

        @Override
        public void writeTo(PlanWriter out) {
        }

        static WaitForStart readFrom(PlanReader in) {
            return new WaitForStart();
        }
    }

    /**
     * Close every file descriptor from {@code lowest} up ({@code close_range(lowest, ~0U, 0)}).
     *
     * @param lowest the first descriptor closed; those below pass to the program
     */
    record CloseInheritedFds(int lowest) implements IdentityStep {
        @Override
        public Opcode opcode() {
            return Opcode.CLOSE_INHERITED_FDS;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i32(lowest);
        }

        static CloseInheritedFds readFrom(PlanReader in) {
            return new CloseInheritedFds(in.i32());
        }
    }

    /**
     * {@code execve} the program: {@code argv[0]} as {@code execvp(3)} would find it, searching
     * the {@code PATH} of {@code env} when it contains no {@code /}.
     *
     * @param argv the arguments, at least one
     * @param env  the environment, {@code KEY=value}
     */
    record Exec(List<String> argv, List<String> env) implements IdentityStep {

        /** Copies the lists. */
        public Exec {
            argv = List.copyOf(argv);
            env = List.copyOf(env);
        }

        @Override
        public Opcode opcode() {
            return Opcode.EXEC;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.strs(argv).strs(env);
        }

        static Exec readFrom(PlanReader in) {
            return new Exec(in.strs(), in.strs());
        }
    }

    /**
     * {@code syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &(struct sock_fprog){
     * filter.length / 8, filter})}: from here on every system call of the process and of what it
     * executes passes the filter. Needs no_new_privs or CAP_SYS_ADMIN in the user namespace;
     * {@link LaunchPlanner} places it accordingly.
     *
     * @param flags  {@code SECCOMP_FILTER_FLAG_*} bits
     * @param filter the program, {@code struct sock_filter[]} in the host's byte order as
     *               libseccomp's {@code seccomp_export_bpf} writes it: 1 to
     *               {@value SeccompCompiler#MAX_INSTRUCTIONS} instructions of
     *               {@value SeccompFilter#INSTRUCTION_SIZE} bytes. Copied in and out
     */
    record SetSeccomp(long flags, byte[] filter) implements IdentityStep {

        private static final int INSTRUCTION_SIZE = SeccompFilter.INSTRUCTION_SIZE;
        private static final int MAX_INSTRUCTIONS = SeccompCompiler.MAX_INSTRUCTIONS;

        /**
         * Copies the program.
         *
         * @throws IllegalArgumentException when its length is not 1 to 4096 whole instructions
         */
        public SetSeccomp {
            String problem = problem(filter.length);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            filter = filter.clone();
        }

        /** A copy of the program. */
        @Override
        public byte[] filter() {
            return filter.clone();
        }

        @Override
        public Opcode opcode() {
            return Opcode.SET_SECCOMP;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.i64(flags).blob(filter);
        }

        static SetSeccomp readFrom(PlanReader in) {
            long flags = in.i64();
            byte[] filter = in.blob();
            String problem = problem(filter.length);
            if (problem != null) {
                throw in.error(problem);
            }
            return new SetSeccomp(flags, filter);
        }

        private static String problem(int length) {
            if (length == 0 || length % INSTRUCTION_SIZE != 0 || length / INSTRUCTION_SIZE > MAX_INSTRUCTIONS) {
                return "seccomp filter of " + length + " bytes is not 1 to " + MAX_INSTRUCTIONS + " "
                        + INSTRUCTION_SIZE + "-byte instructions";
            }
            return null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetSeccomp s && flags == s.flags && Arrays.equals(filter, s.filter);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(flags) * 31 + Arrays.hashCode(filter);
        }

        @Override
        public String toString() {
            return "SetSeccomp[flags=0x" + Long.toHexString(flags) + ", instructions="
                    + filter.length / INSTRUCTION_SIZE + "]";
        }
    }

    /**
     * Declares the seccomp agent of the {@link SetSeccomp} that follows, whose flags have
     * SECCOMP_FILTER_FLAG_NEW_LISTENER. The helper's parent reads it with the plan and connects to
     * {@code listenerPath} while it is still in the host's mount namespace (failing the launch
     * with "failed to connect with seccomp agent"); the init, once seccomp(2) returned the
     * listener descriptor, passes it to the parent (SCM_RIGHTS) and waits; the parent sends it to
     * the agent with runc's {@code ContainerProcessState} JSON ({@code ociVersion}, {@code fds}
     * ["seccompFd"], {@code pid} the process's pid on the host, {@code metadata}, {@code state}
     * the container's state JSON), closes its copy and lets the init go on, which closes its own.
     * The init does nothing else here.
     *
     * @param listenerPath the agent's unix socket, {@code linux.seccomp.listenerPath}; not empty
     * @param metadata     {@code linux.seccomp.listenerMetadata}, passed as a JSON string
     * @param ociVersion   the {@code ociVersion} of the JSON
     */
    record SeccompListener(String listenerPath, String metadata, String ociVersion) implements IdentityStep {

        @Override
        public Opcode opcode() {
            return Opcode.SECCOMP_LISTENER;
        }

        @Override
        public void writeTo(PlanWriter out) {
            out.str(listenerPath).str(metadata).str(ociVersion);
        }

        static SeccompListener readFrom(PlanReader in) {
            return new SeccompListener(in.str(), in.str(), in.str());
        }
    }
}
