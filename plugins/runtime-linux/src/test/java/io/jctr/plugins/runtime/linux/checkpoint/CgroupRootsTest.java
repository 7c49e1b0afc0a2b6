package io.jctr.plugins.runtime.linux.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads this host's cgroup mounts; the directories need not exist. */
class CgroupRootsTest {

    @Test
    void oneRootWhenEveryHierarchyHasTheSamePathElsePerController() throws IOException {
        List<Path> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(" - cgroup ") || l.contains(" - cgroup2 "))
                .map(l -> Path.of(l.split(" ")[4])).toList();
        org.junit.jupiter.api.Assumptions.assumeTrue(mounts.size() >= 2, "two cgroup hierarchies (v1 or hybrid)");
        Map<String, Path> same = new LinkedHashMap<>();
        same.put("a", mounts.get(0).resolve("jctr/c1"));
        same.put("b", mounts.get(1).resolve("jctr/c1"));
        assertEquals(List.of("/jctr/c1"), CgroupRoots.of(same));

        Map<String, Path> different = new LinkedHashMap<>();
        different.put("a", mounts.get(0).resolve("x/c1"));
        different.put("b", mounts.get(1).resolve("y/c1"));
        assertEquals(List.of("a:/x/c1", "b:/y/c1"), CgroupRoots.of(different));
        assertEquals(List.of(), CgroupRoots.of(Map.of("a", Path.of("/not/a/cgroup"))));
    }
}
