package io.jctr.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecGeneratorTest {

    static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:www:/var/www:/bin/false\nnobody:x:65534:65534::/:/bin/false\n";
    static final String GROUP = "root:x:0:\nwww:x:33:\nwheel:x:10:www,root\naudio:x:29:www\n";
    static final ImageConfig BUSYBOX = new ImageConfig(List.of(), List.of("sh"), List.of(), "", "", "", Map.of());

    static SpecGenerator.Inputs inputs(ImageConfig image) {
        return new SpecGenerator.Inputs("ns1", "c1", image, PASSWD, GROUP, EtcFiles.in(Path.of("/run/state/c1")), "thehost",
                p -> p.toString().equals("/data"));
    }

    static RunOptions.Builder opts() {
        return new RunOptions.Builder();
    }

    static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    static JsonNode mount(JsonNode spec, String destination) {
        for (JsonNode m : spec.get("mounts")) {
            if (m.get("destination").asText().equals(destination)) {
                return m;
            }
        }
        return null;
    }

    @Test
    void containerdDefaultsWithTheImageConfig() {
        ObjectNode s = SpecGenerator.generate(inputs(BUSYBOX), RunOptions.none());
        assertEquals("1.0.2-dev", s.get("ociVersion").asText());
        assertEquals("rootfs", s.at("/root/path").asText());
        assertEquals(List.of("sh"), strings(s.at("/process/args")));
        assertEquals(List.of(SpecGenerator.DEFAULT_PATH), strings(s.at("/process/env")));
        assertEquals("/", s.at("/process/cwd").asText());
        assertEquals(0, s.at("/process/user/uid").asLong());
        assertEquals(List.of("0", "10"), strings(s.at("/process/user/additionalGids")), "primary gid, then groups listing root");
        assertEquals(14, s.at("/process/capabilities/bounding").size());
        assertEquals("RLIMIT_NOFILE", s.at("/process/rlimits/0/type").asText());
        assertEquals(1024, s.at("/process/rlimits/0/hard").asLong());
        assertTrue(s.at("/process/noNewPrivileges").asBoolean());
        assertEquals("/ns1/c1", s.at("/linux/cgroupsPath").asText());
        assertEquals(List.of("pid", "ipc", "uts", "mount", "network"),
                s.at("/linux/namespaces").findValuesAsText("type"));
        assertTrue(strings(s.at("/linux/maskedPaths")).contains("/proc/kcore"));
        assertTrue(strings(s.at("/linux/readonlyPaths")).contains("/proc/sys"));
        assertEquals(10, s.at("/linux/resources/devices").size(), "deny all, then containerd's nine default devices");
        assertEquals("c1", s.get("hostname").asText());
        assertEquals("/run/state/c1/hosts", mount(s, "/etc/hosts").get("source").asText());
        assertEquals("/run/state/c1/resolv.conf", mount(s, "/etc/resolv.conf").get("source").asText());
        assertEquals("/run/state/c1/hostname", mount(s, "/etc/hostname").get("source").asText());
        assertEquals("SCMP_ACT_ERRNO", s.at("/linux/seccomp/defaultAction").asText());
        assertFalse(s.at("/process/terminal").asBoolean());
        assertFalse(s.at("/root/readonly").asBoolean());
    }

    @Test
    void argumentsReplaceCmdButKeepTheEntrypoint() {
        ImageConfig image = new ImageConfig(List.of("/entry", "-x"), List.of("default"), List.of("PATH=/bin", "A=1"), "/work",
                "www", "SIGQUIT", Map.of());
        ObjectNode s = SpecGenerator.generate(inputs(image), opts().args("echo", "hi").build());
        assertEquals(List.of("/entry", "-x", "echo", "hi"), strings(s.at("/process/args")));
        assertEquals(List.of("PATH=/bin", "A=1"), strings(s.at("/process/env")));
        assertEquals("/work", s.at("/process/cwd").asText());
        assertEquals(33, s.at("/process/user/uid").asLong());
        assertEquals(List.of("33", "10", "29"), strings(s.at("/process/user/additionalGids")));
        assertEquals(List.of("/entry", "-x", "default"),
                strings(SpecGenerator.generate(inputs(image), RunOptions.none()).at("/process/args")));
    }

    @Test
    void envFileThenEnvOverrideAndUnset() {
        ImageConfig image = new ImageConfig(List.of(), List.of("sh"), List.of("PATH=/bin", "A=1", "B=2"), "", "", "", Map.of());
        ObjectNode s = SpecGenerator.generate(inputs(image),
                opts().envFile("# comment\n\nA=from-file\nC=3\n").env("C=4", "B").build());
        assertEquals(List.of("PATH=/bin", "A=from-file", "C=4"), strings(s.at("/process/env")));
    }

    @Test
    void optionsReachTheSpec() {
        ObjectNode s = SpecGenerator.generate(inputs(BUSYBOX), opts().hostname("box").memory(64 << 20).cpus(1.5).pids(100)
                .user("nobody").cwd("/tmp").readOnly().terminal().capAdd("CAP_SYS_ADMIN", "net_admin").capDrop("CAP_CHOWN")
                .mounts("type=bind,src=/data,dst=/mnt,options=ro").build());
        assertEquals("box", s.get("hostname").asText());
        assertEquals(64 << 20, s.at("/linux/resources/memory/limit").asLong());
        assertEquals(150000, s.at("/linux/resources/cpu/quota").asLong());
        assertEquals(100000, s.at("/linux/resources/cpu/period").asLong());
        assertEquals(100, s.at("/linux/resources/pids/limit").asLong());
        assertEquals(65534, s.at("/process/user/uid").asLong());
        assertEquals(65534, s.at("/process/user/gid").asLong());
        assertEquals("/tmp", s.at("/process/cwd").asText());
        assertTrue(s.at("/root/readonly").asBoolean());
        assertTrue(s.at("/process/terminal").asBoolean());
        assertTrue(strings(s.at("/process/env")).contains("TERM=xterm"));
        List<String> caps = strings(s.at("/process/capabilities/effective"));
        assertTrue(caps.contains("CAP_SYS_ADMIN") && caps.contains("CAP_NET_ADMIN") && !caps.contains("CAP_CHOWN"), caps.toString());
        JsonNode m = mount(s, "/mnt");
        assertEquals("/data", m.get("source").asText());
        assertEquals(List.of("rbind", "ro"), strings(m.get("options")));
        String seccomp = s.at("/linux/seccomp").toString();
        assertTrue(seccomp.contains("\"mount\""), "CAP_SYS_ADMIN allows mount in containerd's profile");
        assertFalse(seccomp.contains("errnoRet"), "with CAP_SYS_ADMIN clone3 is allowed, not ENOSYS");
    }

    @Test
    void withoutSysAdminClone3AnswersEnosys() {
        String seccomp = SpecGenerator.generate(inputs(BUSYBOX), RunOptions.none()).at("/linux/seccomp").toString();
        assertTrue(seccomp.contains("\"clone3\"") && seccomp.contains("\"errnoRet\":38"), seccomp);
        assertFalse(seccomp.contains("\"mount\""));
    }

    @Test
    void hostNetworkAndPrivileged() {
        ObjectNode s = SpecGenerator.generate(inputs(BUSYBOX), opts().net("host").privileged().build());
        assertEquals(List.of("pid", "ipc", "uts", "mount"), s.at("/linux/namespaces").findValuesAsText("type"));
        assertTrue(strings(s.at("/process/env")).contains("HOSTNAME=thehost"));
        assertEquals(Capabilities.ALL.size(), s.at("/process/capabilities/bounding").size());
        assertTrue(s.at("/linux/seccomp").isMissingNode());
        assertTrue(s.at("/linux/maskedPaths").isMissingNode());
        assertEquals(1, s.at("/linux/resources/devices").size());
        assertTrue(s.at("/linux/resources/devices/0/allow").asBoolean());
    }

    @Test
    void badOptionsAreNamed() {
        assertInvalid("--memory-limit -1", opts().memory(-1));
        assertInvalid("--cpus", opts().cpus(-2));
        assertInvalid("--pids-limit -5", opts().pids(-5));
        assertInvalid("--user \"nosuch\"", opts().user("nosuch"));
        assertInvalid("--user \"www:nogroup\"", opts().user("www:nogroup"));
        assertInvalid("--net bridge", opts().net("bridge"));
        assertInvalid("--cwd relative", opts().cwd("relative"));
        assertInvalid("--cap-add CAP_NOPE", opts().capAdd("CAP_NOPE"));
        assertInvalid("--mount type=bind,src=/nosuch,dst=/x: src /nosuch does not exist", opts().mounts("type=bind,src=/nosuch,dst=/x"));
        assertInvalid("--mount src=/data: type is missing", opts().mounts("src=/data"));
        assertInvalid("--mount type=bind,src=/data,dst=x: dst x is not an absolute path", opts().mounts("type=bind,src=/data,dst=x"));
        assertInvalid("--mount garbage: \"garbage\" is not key=value", opts().mounts("garbage"));
        assertInvalid("--mount type=bind,src=/data,dst=/x,colour=red: unknown key \"colour\"", opts().mounts("type=bind,src=/data,dst=/x,colour=red"));
        assertInvalid("--env \"=x\"", opts().env("=x"));
        ImageConfig noCommand = new ImageConfig(List.of(), List.of(), List.of(), "", "", "", Map.of());
        JctrException e = assertThrows(JctrException.class, () -> SpecGenerator.generate(inputs(noCommand), RunOptions.none()));
        assertTrue(e.getMessage().contains("no command"), e.getMessage());
    }

    private static void assertInvalid(String expected, RunOptions.Builder b) {
        JctrException e = assertThrows(JctrException.class, () -> SpecGenerator.generate(inputs(BUSYBOX), b.build()));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
