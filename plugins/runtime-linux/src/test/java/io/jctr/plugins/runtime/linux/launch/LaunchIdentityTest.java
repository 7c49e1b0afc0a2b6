package io.jctr.plugins.runtime.linux.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** User, groups, capabilities and user namespaces as the spec says. */
class LaunchIdentityTest extends ContainerTestBase {

    /** CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_AUDIT_WRITE (29): runc's default set. */
    private static final String RUNC_DEFAULT_CAPS = String.format("%016x", 1L << 5 | 1L << 10 | 1L << 29);

    @Test
    void capabilitySetsAreTheSpecs() throws Exception {
        assertEquals(0, run(spec("grep", "^Cap", "/proc/self/status")), this::stderr);
        List<String> caps = stdout().lines().toList();
        assertTrue(caps.contains("CapEff:\t" + RUNC_DEFAULT_CAPS), stdout());
        assertTrue(caps.contains("CapPrm:\t" + RUNC_DEFAULT_CAPS), stdout());
        assertTrue(caps.contains("CapBnd:\t" + RUNC_DEFAULT_CAPS), stdout());
        assertTrue(caps.contains("CapAmb:\t0000000000000000"), stdout());
    }

    @Test
    void ambientCapabilitiesSurviveANonRootExec() throws Exception {
        ObjectNode spec = spec("grep", "^Cap[EA]", "/proc/self/status");
        ObjectNode process = (ObjectNode) spec.get("process");
        process.putObject("user").put("uid", 1000).put("gid", 1000);
        ObjectNode caps = (ObjectNode) process.get("capabilities");
        for (String set : List.of("inheritable", "ambient")) {
            caps.putArray(set).add("CAP_NET_BIND_SERVICE");
        }
        assertEquals(0, run(spec), this::stderr);
        String netBind = String.format("%016x", 1L << 10);
        assertEquals(List.of("CapEff:\t" + netBind, "CapAmb:\t" + netBind), stdout().lines().toList());
    }

    @Test
    void userGroupAndAdditionalGroups() throws Exception {
        ObjectNode spec = spec("grep", "-E", "^(Uid|Gid|Groups):", "/proc/self/status");
        ObjectNode user = ((ObjectNode) spec.get("process")).putObject("user");
        user.put("uid", 1000).put("gid", 1001).putArray("additionalGids").add(10).add(20);
        assertEquals(0, run(spec), this::stderr);
        assertEquals(List.of("Uid:\t1000\t1000\t1000\t1000", "Gid:\t1001\t1001\t1001\t1001",
                "Groups:\t10 20 "), stdout().lines().toList());
    }

    @Test
    void userNamespaceWithIdMappings() throws Exception {
        // The mapped root must be able to reach the rootfs: JUnit's temporary directory is 0700.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        chownTree(rootfs, 100000);
        ObjectNode spec = spec("sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map; id -u; touch /tmp/f; stat -c %u /tmp/f");
        ((ObjectNode) spec.get("root")).put("readonly", false);
        ObjectNode linux = (ObjectNode) spec.get("linux");
        ((ArrayNode) linux.get("namespaces")).addObject().put("type", "user");
        for (String map : List.of("uidMappings", "gidMappings")) {
            linux.putArray(map).addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        }
        assertEquals(0, run(spec), this::stderr);
        List<String> lines = stdout().lines().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
        assertEquals(List.of("0 100000 65536", "0 100000 65536", "0", "0"), lines);
        assertEquals(100000, (Integer) Files.getAttribute(rootfs.resolve("tmp/f"), "unix:uid"));
    }

    private static void chownTree(Path dir, int id) throws IOException {
        UserPrincipalLookupService names = dir.getFileSystem().getUserPrincipalLookupService();
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                view.setOwner(names.lookupPrincipalByName(Integer.toString(id)));
                view.setGroup(names.lookupPrincipalByGroupName(Integer.toString(id)));
            }
        }
    }
}
