package io.jctr.plugins.runtime.linux.spec;

import java.util.Set;

/** Checks {@code linux.seccomp} against the names libseccomp 2.5 and the specification know. */
final class SeccompCheck {

    static final Set<String> ACTIONS = Set.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
            "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE",
            "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY");
    static final Set<String> ARCHITECTURES = Set.of("SCMP_ARCH_X86", "SCMP_ARCH_X86_64",
            "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",
            "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
            "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE",
            "SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
            "SCMP_ARCH_RISCV64");
    static final Set<String> FLAGS = Set.of("SECCOMP_FILTER_FLAG_TSYNC",
            "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
    static final Set<String> OPERATORS = Set.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",
            "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");
    private static final Set<String> ERRNO_ACTIONS = Set.of("SCMP_ACT_ERRNO", "SCMP_ACT_TRACE");

    private SeccompCheck() {
    }

    static void check(Seccomp s, Problems p) {
        ProcessCheck.oneOf("linux.seccomp.defaultAction", s.defaultAction(), ACTIONS, "action", p);
        // Runtime spec: when the action does not support an errno, the runtime MUST fail.
        if (s.defaultErrnoRet() != null && !ERRNO_ACTIONS.contains(s.defaultAction())) {
            p.add("linux.seccomp.defaultErrnoRet", "is not used by action "
                    + JsonPath.quote(s.defaultAction()));
        }
        for (int i = 0; i < s.architectures().size(); i++) {
            ProcessCheck.oneOf(JsonPath.index("linux.seccomp.architectures", i),
                    s.architectures().get(i), ARCHITECTURES, "architecture", p);
        }
        for (int i = 0; i < s.flags().size(); i++) {
            ProcessCheck.oneOf(JsonPath.index("linux.seccomp.flags", i), s.flags().get(i), FLAGS,
                    "seccomp flag", p);
        }
        if (!s.listenerMetadata().isEmpty() && s.listenerPath().isEmpty()) {
            p.add("linux.seccomp.listenerMetadata", "must not be set without listenerPath");
        }
        for (int i = 0; i < s.syscalls().size(); i++) {
            checkSyscall(JsonPath.index("linux.seccomp.syscalls", i), s.syscalls().get(i), p);
        }
    }

    private static void checkSyscall(String path, Seccomp.Syscall rule, Problems p) {
        if (rule.names().isEmpty()) {
            p.add(path + ".names", "must have at least one entry");
        }
        for (int j = 0; j < rule.names().size(); j++) {
            p.present(JsonPath.index(path + ".names", j), rule.names().get(j));
        }
        ProcessCheck.oneOf(path + ".action", rule.action(), ACTIONS, "action", p);
        if (rule.errnoRet() != null && !ERRNO_ACTIONS.contains(rule.action())) {
            p.add(path + ".errnoRet", "is not used by action " + JsonPath.quote(rule.action()));
        }
        for (int j = 0; j < rule.args().size(); j++) {
            String arg = JsonPath.index(path + ".args", j);
            Seccomp.Arg a = rule.args().get(j);
            p.inRange(arg + ".index", a.index(), 0, 5);
            ProcessCheck.oneOf(arg + ".op", a.op(), OPERATORS, "operator", p);
        }
    }
}
