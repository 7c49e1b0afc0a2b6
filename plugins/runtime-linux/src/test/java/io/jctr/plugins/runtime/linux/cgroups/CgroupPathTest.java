package io.jctr.plugins.runtime.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.spi.JctrException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CgroupPathTest {

    private static final CgroupLayout.Hierarchy MEMORY = new CgroupLayout.Hierarchy(
            Path.of("/sys/fs/cgroup/memory"), "/", Set.of("memory"), "/runtime/self");

    @Test
    void absolutePathsAreBelowTheHierarchyRoot() {
        CgroupPath p = CgroupPath.of("/a//b/./c/", "/jctr/x");
        assertEquals("/a/b/c", p.path());
        assertEquals(Path.of("/sys/fs/cgroup/memory/a/b/c"), p.in(MEMORY));
    }

    @Test
    void relativePathsAreBelowTheRuntimesOwnCgroup() {
        CgroupPath p = CgroupPath.of("c/d", "/jctr/x");
        assertEquals(Path.of("/sys/fs/cgroup/memory/runtime/self/c/d"), p.in(MEMORY));
        // Seen through a mount whose root is the runtime's cgroup's parent.
        CgroupLayout.Hierarchy nsRoot = new CgroupLayout.Hierarchy(
                Path.of("/sys/fs/cgroup/memory"), "/runtime", Set.of("memory"), "/runtime/self");
        assertEquals(Path.of("/sys/fs/cgroup/memory/self/c/d"), p.in(nsRoot));
    }

    @Test
    void emptyMeansTheDefault() {
        assertEquals("/jctr/x", CgroupPath.of("", "/jctr/x").path());
        assertEquals("/jctr/x", CgroupPath.of(null, "/jctr/x").path());
    }

    @Test
    void badPathsAreRejected() {
        assertMessage("/a/../../etc", "cgroupsPath \"/a/../../etc\": \"..\" is not allowed",
                JctrException.Kind.INVALID_ARGUMENT);
        assertMessage("..", "\"..\" is not allowed", JctrException.Kind.INVALID_ARGUMENT);
        assertMessage("/", "must name a cgroup below the root", JctrException.Kind.INVALID_ARGUMENT);
        assertMessage("/a\nb", "control character 0xa", JctrException.Kind.INVALID_ARGUMENT);
        assertMessage("system.slice:docker:abc",
                "cgroupsPath \"system.slice:docker:abc\": systemd cgroup driver is not supported",
                JctrException.Kind.NOT_IMPLEMENTED);
        assertMessage(":jctr:abc", "systemd cgroup driver is not supported",
                JctrException.Kind.NOT_IMPLEMENTED);
    }

    @Test
    void colonsInAnOrdinaryPathAreFine() {
        assertEquals("/a:b/c:d:e", CgroupPath.of("/a:b/c:d:e", "/d").path());
    }

    private static void assertMessage(String path, String expected, JctrException.Kind kind) {
        JctrException e = assertThrows(JctrException.class, () -> CgroupPath.of(path, "/d"));
        assertEquals(kind, e.kind());
        assertEquals(true, e.getMessage().contains(expected), e.getMessage());
    }
}
