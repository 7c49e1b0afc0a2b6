package io.jctr.plugins.runtime.linux.seccomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.spec.Seccomp;
import io.jctr.plugins.runtime.linux.spec.SpecException;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeccompCompilerTest {

    @TempDir
    static Path tmp;

    static SeccompProbe probe;

    @BeforeAll
    static void compileProbe() throws IOException, InterruptedException {
        probe = new SeccompProbe(tmp);
    }

    /** {@code linux.seccomp} from JSON, bound without validation (the compiler checks itself). */
    static Seccomp seccomp(String json) {
        ObjectNode spec = TestSpecs.minimal();
        ((ObjectNode) spec.get("linux")).set("seccomp", TestSpecs.tree(json));
        return TestSpecs.read(spec).linux().seccomp();
    }

    @Test
    void compilesToWholeInstructions() {
        SeccompFilter f = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}"""));

        assertTrue(f.bpf().length > 0);
        assertEquals(0, f.bpf().length % 8);
        assertEquals(0, f.flags());
        assertEquals(List.of(), f.warnings());
        System.out.println("libseccomp " + SeccompCompiler.libraryVersion() + ": " + f);
    }

    @Test
    void deniedSyscallsFailWithTheirErrnoAndOthersRun() throws Exception {
        SeccompFilter f = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"},
                              {"names": ["uname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42}]}"""));

        SeccompProbe.Result r = probe.run(f, "mkdir:" + tmp.resolve("denied"), "uname", "getpid",
                "chdir:/");

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("mkdir errno 1", r.lines().get(0)); // EPERM when errnoRet is absent
        assertEquals("uname errno 42", r.lines().get(1));
        assertTrue(r.lines().get(2).startsWith("getpid ok "), r.lines().get(2));
        assertEquals("chdir ok 0", r.lines().get(3));
        assertFalse(tmp.resolve("denied").toFile().exists());
    }

    @Test
    void aDefaultErrnoDeniesWhatTheAllowListLacks() throws Exception {
        SeccompFilter f = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 13,
                 "syscalls": [{"names": ["write", "exit_group", "getpid"], "action": "SCMP_ACT_ALLOW"},
                              {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                               "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]}]}"""));

        SeccompProbe.Result r = probe.run(f, "getpid", "uname", "mkdir:" + tmp.resolve("x"),
                "personality:ffffffff", "personality:8");

        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.lines().get(0).startsWith("getpid ok "), r.lines().get(0));
        assertEquals("uname errno 13", r.lines().get(1));
        assertEquals("mkdir errno 13", r.lines().get(2));
        assertTrue(r.lines().get(3).startsWith("personality ok "), r.lines().get(3));
        assertEquals("personality errno 13", r.lines().get(4));
    }

    @Test
    void conditionsOnTheSameArgumentBecomeSeparateRules() throws Exception {
        // runc's behaviour: libseccomp cannot AND two tests of one argument, so each condition
        // is a rule of its own and the action applies when any one holds.
        SeccompFilter f = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ERRNO",
                 "syscalls": [{"names": ["write", "exit_group"], "action": "SCMP_ACT_ALLOW"},
                              {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                               "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"},
                                        {"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]}]}"""));

        SeccompProbe.Result r = probe.run(f, "personality:0", "personality:ffffffff", "personality:8");

        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.lines().get(0).startsWith("personality ok "), r.lines().get(0));
        assertTrue(r.lines().get(1).startsWith("personality ok "), r.lines().get(1));
        assertEquals("personality errno 1", r.lines().get(2));
    }

    @Test
    void conditionsOnDifferentArgumentsAllMustHoldAndMaskedEqualUsesValueAsMask() throws Exception {
        // mkdir(path, mode): denied only when mode & 0700 == 0700 and the path is not NULL.
        SeccompFilter f = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 7,
                               "args": [{"index": 1, "value": 448, "valueTwo": 448, "op": "SCMP_CMP_MASKED_EQ"},
                                        {"index": 0, "value": 0, "op": "SCMP_CMP_NE"}]},
                              {"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 9,
                               "args": [{"index": 0, "value": 16, "op": "SCMP_CMP_GT"}]}]}"""));

        SeccompProbe.Result r = probe.run(f, "mkdir:" + tmp.resolve("masked"), "personality:ffffffff",
                "personality:10");

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("mkdir errno 7", r.lines().get(0)); // the probe's mode is 0700
        assertEquals("personality errno 9", r.lines().get(1));
        assertTrue(r.lines().get(2).startsWith("personality ok "), r.lines().get(2));
    }

    @Test
    void traceWithoutATracerReturnsEnosysAndKillAndTrapRaiseSigsys() throws Exception {
        SeccompFilter trace = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_TRACE", "errnoRet": 5}]}"""));
        assertEquals(List.of("uname errno 38"), probe.run(trace, "uname").lines());

        for (String action : List.of("SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS",
                "SCMP_ACT_TRAP")) {
            SeccompFilter f = SeccompCompiler.compile(seccomp("""
                    {"defaultAction": "SCMP_ACT_ALLOW",
                     "syscalls": [{"names": ["uname"], "action": "%s"}]}""".formatted(action)));
            SeccompProbe.Result r = probe.run(f, "getpid", "uname", "getpid");
            assertEquals(SeccompProbe.KILLED_BY_SIGSYS, r.exitCode(), action);
            assertEquals(1, r.lines().size(), action + ": " + r.lines());
        }
    }

    @Test
    void logIsAllowedAndTheLogFlagIsPassedThrough() throws Exception {
        SeccompFilter f = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
                 "syscalls": [{"names": ["uname"], "action": "SCMP_ACT_LOG"}]}"""));

        assertEquals(2 | 4, f.flags()); // TSYNC dropped: the helper is single-threaded
        assertEquals(List.of("uname ok 0"), probe.run(f, "uname").lines());
    }

    @Test
    void unknownSyscallNamesAreSkippedAndReported() throws Exception {
        SeccompFilter f = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["no_such_syscall", "mkdir"], "action": "SCMP_ACT_ERRNO"},
                              {"names": ["uname", "also_unknown"], "action": "SCMP_ACT_ERRNO"}]}"""));

        String version = SeccompCompiler.libraryVersion();
        assertEquals(List.of("linux.seccomp.syscalls[0].names[0]: syscall \"no_such_syscall\" is unknown to libseccomp "
                        + version + "; left out of the filter",
                "linux.seccomp.syscalls[1].names[1]: syscall \"also_unknown\" is unknown to libseccomp "
                        + version + "; left out of the filter"), f.warnings());
        assertEquals(List.of("mkdir errno 1", "uname errno 1"),
                probe.run(f, "mkdir:" + tmp.resolve("y"), "uname").lines());
    }

    @Test
    void syscallsOfOtherArchitecturesResolveToPseudoNumbersAndAreNotSkipped() {
        // chown32 exists on x86, not on x86_64: libseccomp knows it, so it is not "unknown".
        SeccompFilter f = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"],
                 "syscalls": [{"names": ["chown32"], "action": "SCMP_ACT_ERRNO"}]}"""));

        assertEquals(List.of(), f.warnings());
    }

    @Test
    void rulesWithTheDefaultActionAreSkipped() {
        SeccompFilter without = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ERRNO",
                 "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ALLOW"}]}"""));
        SeccompFilter with = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ERRNO",
                 "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ALLOW"},
                              {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}"""));

        assertEquals(without, with);
    }

    @Test
    void theNativeArchitectureIsAlwaysCheckedAndListedOnesAreAdded() {
        int x8664 = 0xc000003e; // AUDIT_ARCH_X86_64
        int i386 = 0x40000003; // AUDIT_ARCH_I386
        SeccompFilter nativeOnly = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}"""));
        SeccompFilter x86Only = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X86"],
                 "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}"""));

        assertTrue(comparesArchWith(nativeOnly, x8664));
        assertFalse(comparesArchWith(nativeOnly, i386));
        assertTrue(comparesArchWith(x86Only, x8664), "runc never removes the native architecture");
        assertTrue(comparesArchWith(x86Only, i386));
    }

    @Test
    void syscallsOfAnArchitectureNotListedAreKilledAndListedOnesFiltered() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64"), "an x86-64 host");
        SeccompFilter allowAll = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"]}"""));
        Assumptions.assumeTrue(probe.run(allowAll, "getpid32").exitCode() == 0, "a kernel with IA-32 emulation");
        String rules = """
                 "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42}]}""";

        SeccompFilter nativeOnly = SeccompCompiler.compile(seccomp("{\"defaultAction\": \"SCMP_ACT_ALLOW\"," + rules));
        SeccompProbe.Result r = probe.run(nativeOnly, "getpid", "getpid32");
        assertEquals(List.of("getpid errno 42"), r.lines());
        assertEquals(SeccompProbe.KILLED_BY_SIGSYS, r.exitCode(), "libseccomp's bad-architecture action");

        SeccompFilter withX86 = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"],""" + rules));
        assertEquals(List.of("getpid errno 42", "getpid32 errno 42"), probe.run(withX86, "getpid", "getpid32").lines());
    }

    /** Whether the program has a {@code BPF_JMP|BPF_JEQ|BPF_K} against {@code arch}. */
    private static boolean comparesArchWith(SeccompFilter f, int arch) {
        ByteBuffer b = ByteBuffer.wrap(f.bpf()).order(ByteOrder.nativeOrder());
        for (int i = 0; i < f.instructions(); i++) {
            int code = b.getShort(i * 8) & 0xffff;
            if (code == 0x15 && b.getInt(i * 8 + 4) == arch) {
                return true;
            }
        }
        return false;
    }

    @Test
    void sameInputSameProgram() {
        String json = """
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                 "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"}]}""";

        assertArrayEquals(SeccompCompiler.compile(seccomp(json)).bpf(), SeccompCompiler.compile(seccomp(json)).bpf());
        assertNotEquals(SeccompCompiler.compile(seccomp(json)),
                SeccompCompiler.compile(seccomp(json.replace("\"write\"", "\"open\""))));
    }

    /** Docker's and containerd's default profile (written for this test from their list). */
    @Test
    void theDefaultProfileCompilesQuicklyAndWorks() throws Exception {
        Seccomp profile = seccomp(new String(SeccompCompilerTest.class.getResourceAsStream("default-profile.json")
                .readAllBytes(), StandardCharsets.UTF_8));
        int names = profile.syscalls().stream().mapToInt(s -> s.names().size()).sum();

        long start = System.nanoTime();
        SeccompFilter f = SeccompCompiler.compile(profile);
        long first = System.nanoTime() - start;
        start = System.nanoTime();
        SeccompCompiler.compile(profile);
        long second = System.nanoTime() - start;
        System.out.printf("default profile: %d syscall names, %d BPF instructions, compiled in %.1f ms "
                + "(then %.1f ms); %s%n", names, f.instructions(), first / 1e6, second / 1e6, f.warnings());

        assertTrue(f.instructions() <= SeccompCompiler.MAX_INSTRUCTIONS);
        SeccompProbe.Result r = probe.run(f, "getpid", "uname", "mkdir:" + tmp.resolve("allowed"),
                "personality:ffffffff", "personality:1234", "unshare:20000", "chdir:/");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.lines().get(0).startsWith("getpid ok "), r.lines().get(0));
        assertEquals("uname ok 0", r.lines().get(1));
        assertEquals("mkdir ok 0", r.lines().get(2));
        assertTrue(r.lines().get(3).startsWith("personality ok "), r.lines().get(3));
        assertEquals("personality errno 1", r.lines().get(4));
        assertEquals("unshare errno 1", r.lines().get(5)); // not in the list: the default action
        assertEquals("chdir ok 0", r.lines().get(6));
    }

    @Test
    void syscallsNewerThanTheProfileAnswerEnosysAndTheRestItsActions() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64"), "x86-64 syscall numbers");
        // The profile ends at exit_group (231): clone3 (435) and 1000 are newer, mkdir (83) is
        // not named but older, so it gets the default action.
        SeccompFilter f = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["write", "exit_group", "getpid"], "action": "SCMP_ACT_ALLOW"},
                              {"names": ["uname"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42}]}"""));

        SeccompProbe.Result r = probe.run(f, "getpid", "uname", "mkdir:" + tmp.resolve("old"), "nr:435", "nr:1000");

        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.lines().get(0).startsWith("getpid ok "), r.lines().get(0));
        assertEquals(List.of("uname errno 42", "mkdir errno 1", "nr errno 38", "nr errno 38"),
                r.lines().subList(1, 5));
    }

    @Test
    void profilesThatAllowByDefaultOrListNoArchitectureGetNoEnosysPrefix() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64"), "x86-64 syscall numbers");
        String rules = """
                 "syscalls": [{"names": ["write", "exit_group"], "action": "SCMP_ACT_ALLOW"}]}""";
        // runc's rules: the prefix needs a default that refuses and listed architectures
        SeccompFilter noArchitectures = SeccompCompiler.compile(seccomp("{\"defaultAction\": \"SCMP_ACT_ERRNO\"," + rules));
        assertEquals(List.of("nr errno 1"), probe.run(noArchitectures, "nr:435").lines());
        SeccompFilter log = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_LOG", "architectures": ["SCMP_ARCH_X86_64"],""" + rules));
        assertEquals(List.of("nr errno 22"), probe.run(log, "nr:435").lines()); // clone3 ran
        SeccompFilter enosys = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "architectures": ["SCMP_ARCH_X86_64"],""" + rules));
        assertEquals(List.of("nr errno 38"), probe.run(enosys, "nr:435").lines());

        assertFalse(NewestSyscalls.refusesByDefault(SeccompNames.SCMP_ACT_ALLOW));
        assertFalse(NewestSyscalls.refusesByDefault(SeccompNames.SCMP_ACT_TRACE | 5));
        assertFalse(NewestSyscalls.refusesByDefault(EnosysPrefix.RET_ENOSYS));
        assertTrue(NewestSyscalls.refusesByDefault(SeccompNames.SCMP_ACT_ERRNO | 1));
        assertTrue(NewestSyscalls.refusesByDefault(SeccompNames.SCMP_ACT_KILL_PROCESS));
    }

    @Test
    void theLimitsAreTheHighestNamesLibseccompKnowsOnEachListedArchitecture() {
        Seccomp profile = seccomp("""
                {"defaultAction": "SCMP_ACT_KILL",
                 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_AARCH64"],
                 "syscalls": [{"names": ["read", "clone3", "no_such_syscall"], "action": "SCMP_ACT_ALLOW"},
                              {"names": ["chown32"], "action": "SCMP_ACT_KILL"}]}""");

        List<EnosysPrefix.ArchLimit> limits = NewestSyscalls.of(profile, SeccompNames.SCMP_ACT_KILL_THREAD);

        // clone3 is 435 on all four; x32's numbers carry bit 30; chown32 exists on x86 only (212),
        // and a rule with the default action counts as well
        assertEquals(List.of(new EnosysPrefix.ArchLimit(EnosysPrefix.AUDIT_ARCH_X86_64, 435, 0x40000000 | 435),
                new EnosysPrefix.ArchLimit(0x40000003, 435, EnosysPrefix.NONE),
                new EnosysPrefix.ArchLimit(0xc00000b7, 435, EnosysPrefix.NONE)), limits);
        assertEquals(List.of(), NewestSyscalls.of(seccomp("""
                {"defaultAction": "SCMP_ACT_KILL", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}"""), SeccompNames.SCMP_ACT_KILL_THREAD),
                "read is 0 on x86-64: as runc, no limit");
    }

    @Test
    void rejectsBadNamesAtTheirJsonPath() {
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_BOOM"}]}""",
                "linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_BOOM\": invalid argument");
        assertInvalid("""
                {"defaultAction": ""}""",
                "linux.seccomp.defaultAction: unknown action \"\": invalid argument");
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_VAX"]}""",
                "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\": invalid argument");
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["x86_64"]}""",
                "linux.seccomp.architectures[0]: unknown architecture \"x86_64\": invalid argument");
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO"},
                              {"names": ["read"], "action": "SCMP_ACT_ERRNO",
                               "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_LIKE"}]}]}""",
                "linux.seccomp.syscalls[1].args[0].op: unknown operator \"SCMP_CMP_LIKE\": invalid argument");
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_FAST"]}""",
                "linux.seccomp.flags[0]: unknown seccomp flag \"SECCOMP_FILTER_FLAG_FAST\": invalid argument");
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["read", ""], "action": "SCMP_ACT_ERRNO"}]}""",
                "linux.seccomp.syscalls[0].names[1]: must not be empty: invalid argument");
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": [], "action": "SCMP_ACT_ERRNO"}]}""",
                "linux.seccomp.syscalls[0].names: must have at least one entry: invalid argument");
    }

    @Test
    void rejectsArgumentsBeyondTheSixth() {
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO",
                               "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"},
                                        {"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}""",
                "linux.seccomp.syscalls[0].args[1].index: 6 is not an argument number from 0 to 5: invalid argument");
    }

    @Test
    void rejectsErrnosThatDoNotFitOrAreNotUsed() {
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 65536}]}""",
                "linux.seccomp.syscalls[0].errnoRet: 65536 does not fit the 16 bits of SECCOMP_RET_DATA: invalid argument");
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1}""",
                "linux.seccomp.defaultErrnoRet: is not used by action \"SCMP_ACT_ALLOW\": invalid argument");
    }

    @Test
    void libseccompErrorsNameTheSyscallAndTheErrno() {
        // The same conditions with two actions: libseccomp refuses the second with EEXIST.
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["write"], "action": "SCMP_ACT_ERRNO",
                               "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
                              {"names": ["read", "write"], "action": "SCMP_ACT_KILL",
                               "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}]}""",
                "linux.seccomp.syscalls[1].names[1]: cannot add a rule for \"write\": an earlier rule has "
                        + "the same conditions and another action (File exists): invalid argument");
    }

    @Test
    void aNotifyRuleAddsNewListener() {
        SeccompFilter f = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock",
                 "syscalls": [{"names": ["mkdir", "read"], "action": "SCMP_ACT_NOTIFY"}]}"""));
        assertEquals(SeccompFilter.NEW_LISTENER, f.flags());
        assertTrue(f.notifies());
    }

    @Test
    void aListenerPathWithoutANotifyRuleIsIgnoredAsByRunc() {
        SeccompFilter f = SeccompCompiler.compile(seccomp("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock", "listenerMetadata": "x"}"""));
        assertEquals(0, f.flags());
        assertFalse(f.notifies());
    }

    @Test
    void refusesWhatRuncRefusesForSeccompAgents() {
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/run/agent.sock"}""",
                "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action: invalid argument");
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/agent.sock",
                 "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG"},
                              {"names": ["mkdir", "write"], "action": "SCMP_ACT_NOTIFY"}]}""",
                "linux.seccomp.syscalls[1].names[1]: SCMP_ACT_NOTIFY cannot be used for the write syscall: "
                        + "invalid argument");
        assertInvalid("""
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}""",
                "linux.seccomp.listenerPath: listenerPath is not set, and linux.seccomp.syscalls[0].action "
                        + "is SCMP_ACT_NOTIFY: invalid argument");
        assertNotImplemented("""
                {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]}""",
                "linux.seccomp.flags[0]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not supported: not implemented");
    }

    private static void assertInvalid(String json, String message) {
        SpecException e = assertThrows(SpecException.class, () -> SeccompCompiler.compile(seccomp(json)));
        assertEquals(message, e.getMessage());
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
    }

    private static void assertNotImplemented(String json, String message) {
        SpecException e = assertThrows(SpecException.class, () -> SeccompCompiler.compile(seccomp(json)));
        assertEquals(message, e.getMessage());
        assertEquals(JctrException.Kind.NOT_IMPLEMENTED, e.kind());
    }
}
