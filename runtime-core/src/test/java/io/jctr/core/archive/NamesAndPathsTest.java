package io.jctr.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamesAndPathsTest {

    @Test
    void namesAreNormalisedAsDockerDoes() {
        assertEquals("docker.io/library/busybox:latest", ImageNames.normalize("busybox"));
        assertEquals("docker.io/library/busybox:1.36", ImageNames.normalize("busybox:1.36"));
        assertEquals("docker.io/team/tool:latest", ImageNames.normalize("team/tool"));
        assertEquals("127.0.0.1:5000/busybox:latest", ImageNames.normalize("127.0.0.1:5000/busybox"));
        assertEquals("localhost/x:1", ImageNames.normalize("localhost/x:1"));
        String d = "sha256:" + "a".repeat(64);
        assertEquals("example.com/app@" + d, ImageNames.normalize("example.com/app@" + d));
        for (String bad : List.of("", "Busybox", "a//b", "x:", "x@sha256:1", "-x", "x:tag with space")) {
            assertThrows(JctrException.class, () -> ImageNames.normalize(bad), bad);
        }
        assertEquals("busybox:latest", ImageNames.familiar("docker.io/library/busybox:latest"));
        assertEquals("team/tool:1", ImageNames.familiar("docker.io/team/tool:1"));
        assertEquals("127.0.0.1:5000/busybox:1", ImageNames.familiar("127.0.0.1:5000/busybox:1"));
        assertEquals("1", ImageNames.tag("127.0.0.1:5000/busybox:1"));
        assertEquals("", ImageNames.tag("example.com/app@" + d));
        assertEquals("127.0.0.1:5000/busybox", ImageNames.repository("127.0.0.1:5000/busybox:1"));
    }

    @Test
    void ociRefNamesFollowCtrsRules() {
        assertEquals("a.io/x:1", OciLayoutImport.name(Map.of("io.containerd.image.name", "a.io/x:1",
                "org.opencontainers.image.ref.name", "2"), ""));
        assertEquals("base/repo:2", OciLayoutImport.name(Map.of("org.opencontainers.image.ref.name", "2"), "base/repo"));
        assertTrue(OciLayoutImport.name(Map.of("org.opencontainers.image.ref.name", "2"), "").matches("import-\\d{4}-\\d\\d-\\d\\d:2"));
        assertEquals("busybox:latest", OciLayoutImport.name(Map.of("org.opencontainers.image.ref.name", "busybox:latest"), ""));
        assertEquals("", OciLayoutImport.name(Map.of("org.opencontainers.image.ref.name", "other.io/x:1"), "base.io/y"));
        assertEquals("", OciLayoutImport.name(Map.of(), "base"));
    }

    @Test
    void platformsParseNormaliseAndMatch() {
        PlatformFilter amd = PlatformFilter.of(List.of("linux/x86_64"), false);
        assertTrue(amd.test(new Platform("linux", "amd64", "")));
        assertFalse(amd.test(new Platform("linux", "arm64", "v8")));
        PlatformFilter arm = PlatformFilter.of(List.of("linux/aarch64"), false);
        assertTrue(arm.test(new Platform("linux", "arm64", "")));
        assertTrue(arm.test(new Platform("linux", "arm64", "v8")));
        PlatformFilter v7 = PlatformFilter.of(List.of("linux/arm/v7"), false);
        assertTrue(v7.test(new Platform("linux", "arm", "v7")));
        assertFalse(v7.test(new Platform("linux", "arm", "v6")));
        assertTrue(PlatformFilter.of(List.of("linux/arm"), true).test(new Platform("windows", "amd64", "")));
        assertTrue(PlatformFilter.of(List.of(), false).test(Platform.host()));
        for (String bad : List.of("linux", "linux/", "/amd64", "a/b/c/d")) {
            assertThrows(JctrException.class, () -> PlatformFilter.parse(bad), bad);
        }
    }

    @Test
    void entryNamesAreCleanedOrRefused() {
        assertEquals("blobs/sha256/ab", EntryPaths.clean("./blobs//sha256/./ab"));
        assertEquals("", EntryPaths.clean("./"));
        assertThrows(JctrException.class, () -> EntryPaths.clean("/etc/passwd"));
        assertThrows(JctrException.class, () -> EntryPaths.clean("a/../../b"));
        assertThrows(JctrException.class, () -> EntryPaths.clean("a/../b"), "no .. at all, even if it stays inside");
        assertEquals("x.tar", EntryPaths.linkTarget("abc/layer.tar", "../x.tar", true));
        assertEquals("abc/y", EntryPaths.linkTarget("abc/layer.tar", "abc/y", false));
        assertThrows(JctrException.class, () -> EntryPaths.linkTarget("abc/layer.tar", "../../x", true));
        assertThrows(JctrException.class, () -> EntryPaths.linkTarget("abc/layer.tar", "/x", true));
        assertEquals("\"a\\x0ab\"", EntryPaths.quote("a\nb"));
    }
}
