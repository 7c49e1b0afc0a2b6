package io.jctr.plugins.runtime.linux.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.plan.ExecPlanner;
import io.jctr.plugins.runtime.linux.plan.LaunchPlan;
import io.jctr.plugins.runtime.linux.plan.PlanEncoder;
import io.jctr.plugins.runtime.linux.spec.SpecParser;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Root switches and namespaces beyond the default set: joined ones, time. */
class LaunchNamespacesTest extends ContainerTestBase {

    @Test
    void withoutPivotRootTheRootfsIsMovedAndChrooted() throws Exception {
        ObjectNode spec = spec("sh", "-c", "echo $$; ls /");
        LaunchRequest r = request(PlanEncoder.encode(plan(spec, options().withNoPivotRoot(true))), true);
        Launched l = launch(r, LaunchListener.NONE);
        start();
        assertEquals(0, l.waitFor(), this::stderr);
        List<String> lines = stdout().lines().toList();
        assertEquals("1", lines.get(0), stdout());
        assertEquals(List.of("bin", "dev", "etc", "proc", "root", "sys", "tmp"), lines.subList(1, lines.size()));
    }

    @Test
    void joinedNamespacesAreSharedWithTheirContainer() throws Exception {
        ObjectNode first = spec("sleep", "30");
        first.put("hostname", "first");
        Launched running = launch(request(PlanEncoder.encode(plan(first)), false), LaunchListener.NONE);
        start();
        ObjectNode second = spec("sh", "-c", "hostname; cat /proc/1/cmdline; echo; echo $$");
        second.remove("hostname");
        ArrayNode namespaces = (ArrayNode) second.get("linux").get("namespaces");
        for (int i = 0; i < namespaces.size(); i++) {
            ObjectNode ns = (ObjectNode) namespaces.get(i);
            String type = ns.get("type").asText();
            if (List.of("pid", "uts", "ipc", "network").contains(type)) {
                String file = type.equals("network") ? "net" : type;
                ns.put("path", "/proc/" + running.pid() + "/ns/" + file);
            }
        }
        Launched l = launch(request(PlanEncoder.encode(plan(second)), true), LaunchListener.NONE);
        start();
        assertEquals(0, l.waitFor(), this::stderr);
        List<String> lines = stdout().lines().toList();
        assertEquals("first", lines.get(0));
        assertEquals("sleep30", lines.get(1).replace("\0", ""));
        assertTrue(Integer.parseInt(lines.get(2)) > 1, stdout());
    }

    @Test
    void aBindSourceOnlyTheHostsRootReachesIsMountedInANewUserNamespace() throws Exception {
        // As runc's userns.bats: the container's root (host uid 100000) may not search
        // "secret", but the helper opens the source for it.
        Path secret = Files.createDirectories(bundle.resolve("secret/dir"));
        Files.writeString(secret.resolve("foo.txt"), "found\n");
        Files.setPosixFilePermissions(secret.getParent(), PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(rootfs.resolve("tmp/m"));
        for (Path p = rootfs; !p.equals(tmp.getParent()); p = p.getParent()) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ObjectNode spec = spec("cat", "/tmp/m/foo.txt");
        ObjectNode linux = (ObjectNode) spec.get("linux");
        ((ArrayNode) linux.get("namespaces")).addObject().put("type", "user");
        linux.putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        linux.putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        ((ArrayNode) spec.get("mounts")).addObject().put("source", secret.toString())
                .put("destination", "/tmp/m").putArray("options").add("bind");
        assertEquals(0, run(spec), this::stderr);
        assertEquals("found\n", stdout());
    }

    @Test
    void anExtraProcessJoinsTheCgroupNamespaceAfterTheMountNamespace() throws Exception {
        // The namespace files are opened before the first join: after the mount namespace,
        // "/proc/PID" would be the container's /proc, where PID is not the init.
        ObjectNode spec = spec("sleep", "30");
        ((ArrayNode) spec.get("linux").get("namespaces")).addObject().put("type", "cgroup");
        Launched running = launch(request(PlanEncoder.encode(plan(spec)), false), LaunchListener.NONE);
        start();
        ArrayNode args = ((ObjectNode) spec.get("process")).putArray("args");
        args.add("readlink").add("/proc/self/ns/cgroup");
        LaunchPlan exec = ExecPlanner.plan(SpecParser.parse(TestSpecs.bytes(spec)), running.pid(), options());
        Launched l = launch(request(PlanEncoder.encode(exec), true), LaunchListener.NONE);
        assertEquals(0, l.waitFor(), this::stderr);
        assertEquals(Files.readSymbolicLink(Path.of("/proc/" + running.pid() + "/ns/cgroup")) + "\n", stdout());
    }

    @Test
    void timeNamespaceWithABoottimeOffset() throws Exception {
        ObjectNode spec = spec("cut", "-d.", "-f1", "/proc/uptime");
        ObjectNode linux = (ObjectNode) spec.get("linux");
        ((ArrayNode) linux.get("namespaces")).addObject().put("type", "time");
        linux.putObject("timeOffsets").putObject("boottime").put("secs", 10_000_000L).put("nanosecs", 0);
        assertEquals(0, run(spec), this::stderr);
        assertTrue(Long.parseLong(stdout().trim()) >= 10_000_000L, stdout());
    }
}
