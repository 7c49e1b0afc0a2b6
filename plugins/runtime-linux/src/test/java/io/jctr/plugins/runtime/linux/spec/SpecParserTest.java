package io.jctr.plugins.runtime.linux.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.spi.JctrException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecParserTest {

    @Test
    void parsesRuncDefaultSpec() {
        RuntimeSpec spec = SpecParser.parse(TestSpecs.resource("runc-spec.json"));

        assertEquals("1.0.2-dev", spec.ociVersion());
        assertEquals(List.of("sh"), spec.process().args());
        assertTrue(spec.process().terminal());
        assertEquals("/", spec.process().cwd());
        assertEquals(List.of("CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"),
                spec.process().capabilities().bounding());
        assertEquals(List.of(), spec.process().capabilities().inheritable());
        assertEquals(new Process.Rlimit("RLIMIT_NOFILE", 1024, 1024), spec.process().rlimits().get(0));
        assertEquals(new Root("rootfs", true), spec.root());
        assertEquals("runc", spec.hostname());
        assertEquals(7, spec.mounts().size());
        assertEquals(new Mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec",
                "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"), null, null), spec.mounts().get(2));
        assertEquals(List.of("pid", "network", "ipc", "uts", "mount"),
                spec.linux().namespaces().stream().map(Linux.Namespace::type).toList());
        assertEquals(10, spec.linux().maskedPaths().size());
        assertEquals(Boolean.FALSE, spec.linux().resources().devices().get(0).allow());
        assertNull(spec.hooks());
    }

    @Test
    void parsesRuncRootlessSpec() {
        RuntimeSpec spec = SpecParser.parse(TestSpecs.resource("runc-spec-rootless.json"));

        assertEquals(List.of(new IdMapping(0, 0, 1)), spec.linux().uidMappings());
        assertTrue(NamespaceSet.of(spec).isNew(NamespaceType.USER));
        assertEquals(List.of("rbind", "nosuid", "noexec", "nodev", "ro"), spec.mounts().get(5).options());
    }

    /** The spec the installed runc generates today, not only the copy committed with the tests. */
    @Test
    void parsesWhatRuncSpecGenerates(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("runc"), "runc is not installed");
        java.lang.Process runc = new ProcessBuilder("runc", "spec").directory(dir.toFile())
                .redirectErrorStream(true).start();
        assertTrue(runc.waitFor(30, TimeUnit.SECONDS), "runc spec timed out");
        assertEquals(0, runc.exitValue(),
                new String(runc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        RuntimeSpec spec = SpecParser.parse(dir.resolve("config.json"));

        assertEquals(List.of("sh"), spec.process().args());
        assertEquals("rootfs", spec.root().path());
    }

    @Test
    void containerdDefaultSpecBindsButHasNoArgs() {
        byte[] json = TestSpecs.resource("containerd-default-spec.json");

        RuntimeSpec spec = SpecParser.read(json);
        assertEquals(14, spec.process().capabilities().bounding().size());
        assertEquals("/run", spec.mounts().get(6).destination());
        assertEquals("/default", spec.linux().cgroupsPath());

        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(json));
        assertEquals("process.args: must have at least one entry: invalid argument", e.getMessage());
        assertEquals(1, e.problems().size());
    }

    @Test
    void containerdDefaultSpecWithArgsIsValid() {
        ObjectNode node = (ObjectNode) TestSpecs.tree(
                new String(TestSpecs.resource("containerd-default-spec.json"), StandardCharsets.UTF_8));
        ((ObjectNode) node.get("process")).putArray("args").add("/bin/sh").add("-c").add("true");

        RuntimeSpec spec = SpecParser.parse(TestSpecs.bytes(node));

        assertEquals(List.of("/bin/sh", "-c", "true"), spec.process().args());
    }

    @Test
    void bindsEveryFieldOfTheSpecification() {
        RuntimeSpec spec = SpecParser.read(TestSpecs.resource("oci-1.1-full.json"));
        Process p = spec.process();

        assertEquals(new Process.ConsoleSize(25, 80), p.consoleSize());
        assertEquals(new Process.User(1, 1, 63L, List.of(5L, 6L), ""), p.user());
        assertEquals(-1L, p.rlimits().get(1).hard(), "RLIM_INFINITY keeps its 64 bits");
        assertEquals(100, p.oomScoreAdj());
        assertEquals(new Process.IoPriority("IOPRIO_CLASS_IDLE", 4), p.ioPriority());
        assertEquals(new Process.Scheduler("SCHED_BATCH", 5, 0, List.of("SCHED_FLAG_RESET_ON_FORK"), 0, 0, 0),
                p.scheduler());
        assertEquals("foobarbaz.test", spec.domainname());
        assertEquals(10, spec.hooks().createContainer().get(0).timeout());
        assertEquals(List.of("cleanup.sh", "-f"), spec.hooks().poststop().get(0).args());
        assertEquals(Map.of("com.example.key1", "value1", "key2", "value2"), spec.annotations());

        Linux linux = spec.linux();
        assertEquals(new Linux.Device("/dev/fuse", "c", 10L, 229L, 438L, 0L, 0L), linux.devices().get(0));
        assertEquals(new IdMapping(0, 1000, 32000), linux.uidMappings().get(0));
        assertEquals(new Linux.TimeOffset(604800, 0), linux.timeOffsets().get("boottime"));
        assertEquals("1", linux.sysctl().get("net.ipv4.ip_forward"));
        assertEquals(1048577L, linux.resources().network().classId());
        assertEquals(Boolean.TRUE, linux.resources().memory().checkBeforeUpdate());
        assertEquals(-1L, linux.resources().memory().kernelTcp());
        assertEquals(1000000L, linux.resources().cpu().burst());
        assertEquals(300, linux.resources().blockIo().weightDevice().get(0).leafWeight());
        assertEquals(300, linux.resources().blockIo().throttleWriteIopsDevice().get(0).rate());
        assertEquals(3L, linux.resources().rdma().get("mlx5_1").hcaHandles());
        assertEquals("259:0 rbps=2097152", linux.resources().unified().get("io.max"));
        assertEquals(-1L, linux.seccomp().syscalls().get(0).args().get(0).value());
        assertEquals(1L, linux.seccomp().syscalls().get(0).errnoRet());
        assertEquals("guaranteed_group", linux.intelRdt().closId());
        assertEquals(new Linux.Personality("LINUX", List.of()), linux.personality());
        assertEquals("slave", linux.rootfsPropagation());
        assertTrue(NamespaceSet.of(spec).isNew(NamespaceType.TIME));
        assertEquals(List.of(), SpecValidator.validate(spec));
    }

    @Test
    void keepsTheRawBytesAndToleratesUnknownFields() {
        byte[] json = TestSpecs.resource("oci-1.1-full.json");

        RuntimeSpec spec = SpecParser.read(json);

        assertArrayEquals(json, spec.raw().bytes());
        assertTrue(spec.raw().text().contains("x-vendor-extension"));
    }

    @Test
    void aRawFieldInTheDocumentDoesNotReplaceTheRawBytes() {
        var node = TestSpecs.minimal();
        node.put("raw", "forged");
        byte[] json = TestSpecs.bytes(node);

        assertArrayEquals(json, SpecParser.read(json).raw().bytes());
    }

    @Test
    void absentListsAreEmptyAndAbsentObjectsNull() {
        RuntimeSpec spec = SpecParser.read(TestSpecs.bytes("{\"ociVersion\": \"1.0.0\"}"));

        assertEquals(List.of(), spec.mounts());
        assertEquals(Map.of(), spec.annotations());
        assertEquals("", spec.hostname());
        assertNull(spec.process());
        assertNull(spec.linux());
    }

    @Test
    void nullIsTheZeroValueAsInGo() {
        RuntimeSpec spec = SpecParser.read(TestSpecs.bytes(
                "{\"process\": {\"terminal\": null, \"args\": null, \"user\": {\"uid\": null}}}"));

        assertFalse(spec.process().terminal());
        assertEquals(List.of(), spec.process().args());
        assertEquals(0, spec.process().user().uid());
    }

    @Test
    void parseReportsMissingFile(@TempDir Path dir) {
        JctrException e = assertThrows(JctrException.class,
                () -> SpecParser.parse(dir.resolve("config.json")));

        assertTrue(JctrException.is(e, JctrException.Kind.NOT_FOUND));
        assertEquals("config.json \"" + dir.resolve("config.json") + "\": not found", e.getMessage());
    }

    @Test
    void parseReadsAFile(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("config.json"), TestSpecs.bytes(TestSpecs.minimal()));

        assertEquals("1.1.0", SpecParser.parse(dir.resolve("config.json")).ociVersion());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "garbage                          | config.json: malformed json at line 1, column 1: unrecognized token 'garbage': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
        "{\"ociVersion\": }               | config.json: malformed json at line 1, column 16: unexpected character ('}' (code 125)): expected a value",
        "{\"a\": 1, \"a\": 2}             | config.json: malformed json at line 1, column 13: duplicate field 'a'",
        "{} {}                            | config.json: malformed json at line 1, column 4: data after the end of the document",
        "`{\"root\": {\"path\": \"r\"`      | config.json: malformed json at line 1, column 22: unexpected end-of-input: expected close marker for Object",
        "`   `                            | config.json: malformed json: empty document",
        "[]                               | config.json: expected an object, got an array",
        "\"spec\"                         | config.json: expected an object, got a string",
    })
    void rejectsMalformedJson(String json, String message) {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.parse(TestSpecs.bytes(json)));

        assertEquals(message + ": invalid argument", e.getMessage());
        assertTrue(JctrException.is(e, JctrException.Kind.INVALID_ARGUMENT));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"ociVersion\": 1}                                  | ociVersion: expected a string, got an integer",
        "{\"root\": {\"path\": 5}}                            | root.path: expected a string, got an integer",
        "{\"root\": {\"path\": true}}                         | root.path: expected a string, got a boolean",
        "{\"root\": {\"readonly\": \"yes\"}}                  | root.readonly: expected a boolean, got a string",
        "{\"root\": {\"readonly\": 1}}                        | root.readonly: expected a boolean, got an integer",
        "{\"root\": []}                                       | root: expected an object, got an array",
        "{\"process\": {\"args\": \"sh\"}}                    | process.args: expected an array, got a string",
        "{\"process\": {\"args\": [\"sh\", null]}}            | process.args[1]: null is not allowed here",
        "{\"process\": {\"args\": [\"sh\", 1]}}               | process.args[1]: expected a string, got an integer",
        "{\"process\": {\"user\": {\"uid\": \"0\"}}}          | process.user.uid: expected an integer, got a string",
        "{\"process\": {\"user\": {\"uid\": -1}}}             | process.user.uid: -1 is out of range for uint32",
        "{\"process\": {\"user\": {\"uid\": 4294967296}}}     | process.user.uid: 4294967296 is out of range for uint32",
        "{\"process\": {\"user\": {\"gid\": 1.5}}}            | process.user.gid: expected an integer, got a number",
        "{\"process\": {\"user\": {\"additionalGids\": [-5]}}} | process.user.additionalGids[0]: -5 is out of range for uint32",
        "{\"process\": {\"oomScoreAdj\": 99999999999}}        | process.oomScoreAdj: 99999999999 is out of range for int",
        "{\"process\": {\"rlimits\": [{\"hard\": 18446744073709551616}]}} | process.rlimits[0].hard: 18446744073709551616 is out of range for uint64",
        "{\"linux\": {\"namespaces\": {\"type\": \"pid\"}}}   | linux.namespaces: expected an array, got an object",
        "{\"linux\": {\"namespaces\": [{\"type\": 7}]}}       | linux.namespaces[0].type: expected a string, got an integer",
        "{\"linux\": {\"sysctl\": {\"net.ipv4.ip_forward\": 1}}} | linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got an integer",
        "{\"annotations\": {\"a\": null}}                     | annotations.a: null is not allowed here",
        "{\"linux\": {\"devices\": [{\"major\": \"8\"}]}}     | linux.devices[0].major: expected an integer, got a string",
    })
    void rejectsWrongTypesAtTheirJsonPath(String json, String message) {
        SpecException e = assertThrows(SpecException.class, () -> SpecParser.read(TestSpecs.bytes(json)));

        assertEquals(message + ": invalid argument", e.getMessage());
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
