package io.jctr.plugins.runtime.linux.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

    @Test
    void minimalSpecIsValid() {
        assertEquals(List.of(), SpecValidator.validate(TestSpecs.read(TestSpecs.minimal())));
    }

    @Test
    void rejectsTheVersionInvalid() {
        assertProblem(s -> s.put("ociVersion", "invalid"), "ociVersion: \"invalid\" is not a semantic version");
    }

    @Test
    void rejectsVersionsThisRuntimeDoesNotSupport() {
        assertProblem(s -> s.put("ociVersion", "2.0.0"),
                "ociVersion: unsupported version \"2.0.0\" (this runtime supports 1.0.x and 1.1.x)");
        assertProblem(s -> s.put("ociVersion", "1.2.0"),
                "ociVersion: unsupported version \"1.2.0\" (this runtime supports 1.0.x and 1.1.x)");
        assertProblem(s -> s.remove("ociVersion"), "ociVersion: must be set");
    }

    @Test
    void acceptsPreReleasesAndBuildMetadata() {
        for (String v : List.of("1.0.0", "1.0.2-dev", "1.1.0-rc.3", "1.1.0+build.7")) {
            ObjectNode s = TestSpecs.minimal();
            s.put("ociVersion", v);
            assertEquals(List.of(), SpecValidator.validate(TestSpecs.read(s)), v);
        }
    }

    @Test
    void rejectsMissingRootPath() {
        assertProblem(s -> s.remove("root"), "root: must be set");
        assertProblem(s -> s.putObject("root"), "root.path: must be set");
    }

    @Test
    void rejectsUnknownNamespaceType() {
        assertProblem(s -> namespaces(s).addObject().put("type", "foo"),
                "linux.namespaces[1].type: unknown namespace type \"foo\"");
    }

    @Test
    void rejectsDuplicateNamespaces() {
        assertProblem(s -> {
            namespaces(s).addObject().put("type", "pid");
            namespaces(s).addObject().put("type", "pid").put("path", "/proc/1/ns/pid");
        }, "linux.namespaces[2].type: duplicate namespace type \"pid\" (also at linux.namespaces[1])");
    }

    @Test
    void rejectsRelativeNamespacePath() {
        assertProblem(s -> namespaces(s).addObject().put("type", "network").put("path", "run/netns/a"),
                "linux.namespaces[1].path: \"run/netns/a\" is not an absolute path");
    }

    @Test
    void acceptsTheTimeNamespace() {
        ObjectNode s = TestSpecs.minimal();
        namespaces(s).addObject().put("type", "time");
        linux(s).putObject("timeOffsets").putObject("monotonic").put("secs", 10);
        assertEquals(List.of(), SpecValidator.validate(TestSpecs.read(s)));
    }

    @Test
    void rejectsTimeOffsetsWithoutANewTimeNamespace() {
        assertProblem(s -> linux(s).putObject("timeOffsets").putObject("boottime").put("secs", 1),
                "linux.timeOffsets: set but no new time namespace is requested");
    }

    @Test
    void rejectsRelativeCwd() {
        assertProblem(s -> process(s).put("cwd", "tmp"), "process.cwd: \"tmp\" is not an absolute path");
        assertProblem(s -> process(s).remove("cwd"), "process.cwd: must be set");
    }

    @Test
    void rejectsEmptyArgs() {
        assertProblem(s -> process(s).putArray("args"), "process.args: must have at least one entry");
    }

    @Test
    void rejectsBadCapabilityName() {
        assertProblem(s -> process(s).putObject("capabilities").putArray("bounding")
                .add("CAP_CHOWN").add("CAP_FOO"),
                "process.capabilities.bounding[1]: unknown capability \"CAP_FOO\"");
        assertProblem(s -> process(s).putObject("capabilities").putArray("ambient").add("chown"),
                "process.capabilities.ambient[0]: unknown capability \"chown\"");
    }

    @Test
    void rejectsUnknownAndDuplicateRlimits() {
        assertProblem(s -> process(s).putArray("rlimits").addObject().put("type", "RLIMIT_FOO"),
                "process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"");
        assertProblem(s -> {
            ArrayNode r = process(s).putArray("rlimits");
            r.addObject().put("type", "RLIMIT_NOFILE");
            r.addObject().put("type", "RLIMIT_NOFILE");
        }, "process.rlimits[1].type: duplicate rlimit \"RLIMIT_NOFILE\" (also at process.rlimits[0])");
        assertProblem(s -> process(s).putArray("rlimits").addObject().put("type", "RLIMIT_NOFILE")
                .put("soft", 2048).put("hard", 1024),
                "process.rlimits[0]: soft limit 2048 exceeds hard limit 1024");
    }

    @Test
    void rejectsMalformedEnvironment() {
        assertProblem(s -> process(s).putArray("env").add("PATH=/bin").add("FOO"),
                "process.env[1]: \"FOO\" is not of the form KEY=value");
        assertProblem(s -> process(s).putArray("env").add("=x"),
                "process.env[0]: \"=x\" has an empty variable name");
        assertProblem(s -> process(s).putArray("env").add("A=b\u0000c"),
                "process.env[0]: \"A=b\\u0000c\" contains a NUL byte");
    }

    @Test
    void rejectsUmaskBeyondPermissionBits() {
        assertProblem(s -> process(s).putObject("user").put("umask", 755),
                "process.user.umask: 755 is not a umask (0 to 511, octal 0777)");
    }

    @Test
    void rejectsOutOfRangeProcessSettings() {
        assertProblem(s -> process(s).put("oomScoreAdj", -1001),
                "process.oomScoreAdj: -1001 is out of range -1000 to 1000");
        assertProblem(s -> process(s).putObject("ioPriority").put("class", "IOPRIO_CLASS_X"),
                "process.ioPriority.class: unknown I/O priority class \"IOPRIO_CLASS_X\"");
        assertProblem(s -> process(s).putObject("scheduler").put("policy", "SCHED_OTHER").put("nice", 20),
                "process.scheduler.nice: 20 is out of range -20 to 19");
    }

    @Test
    void userNamespaceNeedsMappingsAndMappingsNeedAUserNamespace() {
        assertProblem(s -> namespaces(s).addObject().put("type", "user"),
                "linux.uidMappings: must be set for a new user namespace",
                "linux.gidMappings: must be set for a new user namespace");
        assertProblem(s -> mapping(linux(s).putArray("uidMappings"), 0, 1000, 1),
                "linux.uidMappings: set but linux.namespaces has no user namespace");
    }

    @Test
    void aJoinedUserNamespaceNeedsNoMappings() {
        ObjectNode s = TestSpecs.minimal();
        namespaces(s).addObject().put("type", "user").put("path", "/proc/1/ns/user");
        assertEquals(List.of(), SpecValidator.validate(TestSpecs.read(s)));
    }

    @Test
    void theProcessMustBeMappedAndMappingsMustNotOverlap() {
        assertProblem(s -> {
            namespaces(s).addObject().put("type", "user");
            mapping(linux(s).putArray("uidMappings"), 0, 1000, 10);
            ArrayNode gid = linux(s).putArray("gidMappings");
            mapping(gid, 0, 1000, 10);
            mapping(gid, 5, 5000, 10);
            process(s).putObject("user").put("uid", 10).put("gid", 0);
        }, "linux.gidMappings[1]: overlaps linux.gidMappings[0]",
                "process.user.uid: 10 is not mapped by linux.uidMappings");
    }

    @Test
    void deviceRuleAccessIsReadAsRuncReadsIt() {
        // "rwa" (runc's update.bats, configs written for runc): the "a" is ignored
        ObjectNode ok = TestSpecs.minimal();
        linux(ok).putObject("resources").putArray("devices").addObject().put("allow", false)
                .put("type", "c").put("major", 1).put("minor", 11).put("access", "rwa");
        assertEquals(List.of(), SpecValidator.validate(TestSpecs.read(ok)));
        assertProblem(s -> linux(s).putObject("resources").putArray("devices").addObject()
                .put("allow", true).put("access", "a"),
                "linux.resources.devices[0].access: \"a\" names none of r, w and m");
    }

    @Test
    void rejectsRelativeHookPath() {
        assertProblem(s -> s.putObject("hooks").putArray("poststart").addObject().put("path", "hook"),
                "hooks.poststart[0].path: \"hook\" is not an absolute path");
        assertProblem(s -> s.putObject("hooks").putArray("createRuntime").addObject()
                .put("path", "/bin/true").put("timeout", 0),
                "hooks.createRuntime[0].timeout: must be greater than zero, got 0");
    }

    @Test
    void rejectsSysctlsOutsideTheContainersNamespaces() {
        assertProblem(s -> linux(s).putObject("sysctl").put("net.ipv4.ip_forward", "1"),
                "linux.sysctl[\"net.ipv4.ip_forward\"]: cannot be set without a network namespace");
        assertProblem(s -> linux(s).putObject("sysctl").put("kernel.shmmax", "1"),
                "linux.sysctl[\"kernel.shmmax\"]: cannot be set without an ipc namespace");
        assertProblem(s -> linux(s).putObject("sysctl").put("kernel.panic", "1"),
                "linux.sysctl[\"kernel.panic\"]: is not namespaced; only ipc, net and "
                        + "kernel.domainname sysctls can be set");
        assertProblem(s -> {
            namespaces(s).addObject().put("type", "uts");
            linux(s).putObject("sysctl").put("kernel.hostname", "x");
        }, "linux.sysctl[\"kernel.hostname\"]: conflicts with the hostname field");
        assertProblem(s -> {
            namespaces(s).addObject().put("type", "network");
            linux(s).putObject("sysctl").put("net/../../kernel/panic", "1");
        }, "linux.sysctl[\"net/../../kernel/panic\"]: invalid sysctl name \"net/../../kernel/panic\"");
    }

    @Test
    void acceptsNamespacedSysctlsInBothSpellings() {
        ObjectNode s = TestSpecs.minimal();
        namespaces(s).addObject().put("type", "network");
        namespaces(s).addObject().put("type", "ipc");
        namespaces(s).addObject().put("type", "uts");
        linux(s).putObject("sysctl").put("net/ipv4/conf/eth0.100/rp_filter", "1")
                .put("fs.mqueue.msg_max", "10").put("kernel.domainname", "example");
        assertEquals(List.of(), SpecValidator.validate(TestSpecs.read(s)));
    }

    @Test
    void hostnameNeedsAUtsNamespace() {
        assertProblem(s -> s.put("hostname", "box"), "hostname: cannot be set without a uts namespace");
        assertProblem(s -> {
            namespaces(s).addObject().put("type", "uts");
            s.put("hostname", "h".repeat(65));
        }, "hostname: \"" + "h".repeat(65) + "\" is longer than 64 bytes");
    }

    @Test
    void rejectsBadDevices() {
        assertProblem(s -> devices(s).addObject().put("path", "/dev/x").put("type", "x"),
                "linux.devices[0].type: unknown device type \"x\" (want c, b, u or p)");
        assertProblem(s -> devices(s).addObject().put("path", "/dev/x").put("type", "c").put("minor", 1),
                "linux.devices[0].major: must be set for device type \"c\"");
        assertProblem(s -> devices(s).addObject().put("path", "dev/x").put("type", "p"),
                "linux.devices[0].path: \"dev/x\" is not an absolute path");
        assertProblem(s -> devices(s).addObject().put("path", "/dev/x").put("type", "b")
                .put("major", 4096).put("minor", 0),
                "linux.devices[0].major: 4096 is out of range 0 to 4095");
        assertProblem(s -> {
            devices(s).addObject().put("path", "/dev/fuse").put("type", "c").put("major", 10).put("minor", 229);
            devices(s).addObject().put("path", "/dev/fuse").put("type", "p");
        }, "linux.devices[1].path: duplicate device \"/dev/fuse\" (also at linux.devices[0])");
    }

    @Test
    void rejectsBadMounts() {
        assertProblem(s -> s.putArray("mounts").addObject().put("destination", "/data").put("source", "/x"),
                "mounts[0].type: must be set unless options include bind or rbind");
        assertProblem(s -> s.putArray("mounts").addObject().put("destination", "/data")
                .putArray("options").add("rbind"),
                "mounts[0].source: must be set");
        assertProblem(s -> s.putArray("mounts").addObject().put("type", "tmpfs"),
                "mounts[0].destination: must be set");
    }

    @Test
    void relativeMountDestinationsAreAcceptedWithAWarning() {
        ObjectNode s = TestSpecs.minimal();
        s.putArray("mounts").addObject().put("destination", "tmp").put("type", "tmpfs");
        RuntimeSpec spec = TestSpecs.read(s);

        assertEquals(List.of(), SpecValidator.validate(spec));
        assertEquals(List.of(new SpecProblem("mounts[0].destination",
                "\"tmp\" is relative; relative destinations are deprecated and resolved from \"/\"")),
                SpecValidator.warnings(spec));
    }

    @Test
    void maskedPathsNeedAMountNamespaceAndAbsolutePaths() {
        assertProblem(s -> {
            linux(s).putArray("namespaces");
            linux(s).putArray("maskedPaths").add("/proc/kcore");
        }, "linux.maskedPaths: cannot be applied without a mount namespace");
        assertProblem(s -> linux(s).putArray("readonlyPaths").add("proc/sys"),
                "linux.readonlyPaths[0]: \"proc/sys\" is not an absolute path");
    }

    @Test
    void rejectsBadSeccompNames() {
        assertProblem(s -> {
            ObjectNode seccomp = linux(s).putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW");
            seccomp.putArray("syscalls").addObject().put("action", "SCMP_ACT_BOOM").putArray("names").add("read");
        }, "linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_BOOM\"");
        assertProblem(s -> linux(s).putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW")
                .put("defaultErrnoRet", 1),
                "linux.seccomp.defaultErrnoRet: is not used by action \"SCMP_ACT_ALLOW\"");
    }

    @Test
    void rejectsUnknownRootfsPropagationAndPersonality() {
        assertProblem(s -> linux(s).put("rootfsPropagation", "sideways"),
                "linux.rootfsPropagation: unknown propagation \"sideways\"");
        assertProblem(s -> linux(s).putObject("personality").put("domain", "LINUX64"),
                "linux.personality.domain: unknown personality domain \"LINUX64\"");
    }

    @Test
    void reportsEveryProblemSectionBySection() {
        ObjectNode s = TestSpecs.minimal();
        s.put("ociVersion", "invalid");
        process(s).put("cwd", "tmp");
        namespaces(s).addObject().put("type", "foo");

        SpecException e = assertThrows(SpecException.class, () -> SpecValidator.check(TestSpecs.read(s)));

        assertEquals("ociVersion: \"invalid\" is not a semantic version: invalid argument", e.getMessage());
        assertEquals(List.of("ociVersion: \"invalid\" is not a semantic version",
                "process.cwd: \"tmp\" is not an absolute path",
                "linux.namespaces[1].type: unknown namespace type \"foo\""),
                e.problems().stream().map(SpecProblem::toString).toList());
    }

    @Test
    void emptyAnnotationKeysAreRejected() {
        assertProblem(s -> s.putObject("annotations").put("", "v"), "annotations[\"\"]: key must not be empty");
    }

    // Helpers: mutate the minimal spec, expect exactly these problems.

    private static void assertProblem(Consumer<ObjectNode> mutation, String... expected) {
        ObjectNode s = TestSpecs.minimal();
        mutation.accept(s);
        List<String> actual = SpecValidator.validate(TestSpecs.read(s)).stream()
                .map(SpecProblem::toString).toList();
        assertEquals(List.of(expected), actual);
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(TestSpecs.bytes(s)));
        assertTrue(e.getMessage().startsWith(expected[0]), e.getMessage());
    }

    private static ObjectNode process(ObjectNode s) {
        return (ObjectNode) s.get("process");
    }

    private static ObjectNode linux(ObjectNode s) {
        return (ObjectNode) s.get("linux");
    }

    private static ArrayNode namespaces(ObjectNode s) {
        return (ArrayNode) linux(s).get("namespaces");
    }

    private static ArrayNode devices(ObjectNode s) {
        return linux(s).has("devices") ? (ArrayNode) linux(s).get("devices") : linux(s).putArray("devices");
    }

    private static void mapping(ArrayNode array, long container, long host, long size) {
        array.addObject().put("containerID", container).put("hostID", host).put("size", size);
    }
}
