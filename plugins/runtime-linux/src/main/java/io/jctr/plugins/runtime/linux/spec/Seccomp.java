package io.jctr.plugins.runtime.linux.spec;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * The seccomp filter ({@code linux.seccomp}); names are libseccomp's ({@code SCMP_ACT_*},
 * {@code SCMP_ARCH_*}, {@code SCMP_CMP_*}).
 *
 * @param defaultAction    the action for syscalls no rule matches; {@code ""} when absent
 * @param defaultErrnoRet  the errno for an errno-returning default action; {@code null} for EPERM
 * @param architectures    additional architectures
 * @param flags            {@code SECCOMP_FILTER_FLAG_*} names
 * @param listenerPath     the seccomp-notify agent's socket, {@code ""} when unset
 * @param listenerMetadata opaque data for the agent, {@code ""} when unset
 * @param syscalls         the rules
 */
public record Seccomp(
        String defaultAction,
        @JsonDeserialize(using = Unsigned.OptionalUint32.class) Long defaultErrnoRet,
        List<String> architectures,
        List<String> flags,
        String listenerPath,
        String listenerMetadata,
        List<Syscall> syscalls) {

    /** Normalises absent fields to empty ones. */
    public Seccomp {
        defaultAction = OrEmpty.string(defaultAction);
        architectures = OrEmpty.list(architectures);
        flags = OrEmpty.list(flags);
        listenerPath = OrEmpty.string(listenerPath);
        listenerMetadata = OrEmpty.string(listenerMetadata);
        syscalls = OrEmpty.list(syscalls);
    }

    /**
     * One rule.
     *
     * @param names    the syscalls it matches, at least one
     * @param action   the action; {@code ""} when absent
     * @param errnoRet the errno for an errno-returning action; {@code null} for EPERM
     * @param args     argument conditions
     */
    public record Syscall(
            List<String> names,
            String action,
            @JsonDeserialize(using = Unsigned.OptionalUint32.class) Long errnoRet,
            List<Arg> args) {

        /** Normalises absent fields to empty ones. */
        public Syscall {
            names = OrEmpty.list(names);
            action = OrEmpty.string(action);
            args = OrEmpty.list(args);
        }
    }

    /**
     * One argument condition.
     *
     * @param index    which argument, 0 to 5
     * @param value    the operand, uint64 as bits
     * @param valueTwo the second operand ({@code SCMP_CMP_MASKED_EQ}), uint64 as bits
     * @param op       the operator; {@code ""} when absent
     */
    public record Arg(
            @JsonDeserialize(using = Unsigned.Uint32.class) long index,
            @JsonDeserialize(using = Unsigned.Uint64.class) long value,
            @JsonDeserialize(using = Unsigned.Uint64.class) long valueTwo,
            String op) {

        /** Normalises an absent operator to {@code ""}. */
        public Arg {
            op = OrEmpty.string(op);
        }
    }
}
