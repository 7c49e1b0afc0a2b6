package io.jctr.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReferenceTest {

    private static final String D = "sha256:" + "ab".repeat(32);

    @ParameterizedTest
    @CsvSource({
        "busybox, docker.io, library/busybox, latest, '', docker.io/library/busybox:latest",
        "busybox:1.36, docker.io, library/busybox, 1.36, '', docker.io/library/busybox:1.36",
        "library/busybox:1, docker.io, library/busybox, 1, '', docker.io/library/busybox:1",
        "user/app, docker.io, user/app, latest, '', docker.io/user/app:latest",
        "docker.io/busybox, docker.io, library/busybox, latest, '', docker.io/library/busybox:latest",
        "docker.io/library/busybox:latest, docker.io, library/busybox, latest, '', docker.io/library/busybox:latest",
        "127.0.0.1:5000/busybox, 127.0.0.1:5000, busybox, latest, '', 127.0.0.1:5000/busybox:latest",
        "localhost/a/b/c:v1, localhost, a/b/c, v1, '', localhost/a/b/c:v1",
        "localhost:5000/x, localhost:5000, x, latest, '', localhost:5000/x:latest",
        "ghcr.io/owner/repo_name-x.y:tag-1.0_b, ghcr.io, owner/repo_name-x.y, tag-1.0_b, '', ghcr.io/owner/repo_name-x.y:tag-1.0_b",
        "[::1]:5000/img:t, [::1]:5000, img, t, '', [::1]:5000/img:t",
        "Registry.Example.COM/img, Registry.Example.COM, img, latest, '', Registry.Example.COM/img:latest",
    })
    void parsesAndNormalises(String in, String host, String repo, String tag, String digest, String name) {
        Reference r = Reference.parse(in);
        assertEquals(host, r.host());
        assertEquals(repo, r.repository());
        assertEquals(tag, r.tag());
        assertEquals(digest, r.digest());
        assertEquals(name, r.toString());
    }

    @Test
    void digestsWithAndWithoutTag() {
        Reference byDigest = Reference.parse("127.0.0.1:5000/repo@" + D);
        assertEquals("", byDigest.tag());
        assertEquals(D, byDigest.digest());
        assertEquals(D, byDigest.object());
        assertEquals("127.0.0.1:5000/repo@" + D, byDigest.toString());

        Reference both = Reference.parse("host.example/repo:tag@" + D);
        assertEquals("tag", both.tag());
        assertEquals(D, both.object(), "the digest decides what is pulled");
        assertEquals("host.example/repo:tag@" + D, both.toString());

        assertEquals("docker.io/library/busybox@" + D, Reference.parse("busybox@" + D).toString());
    }

    @Test
    void endpointsAndLabelHosts() {
        assertEquals("registry-1.docker.io", Reference.parse("busybox").endpoint());
        assertEquals("127.0.0.1:5000", Reference.parse("127.0.0.1:5000/b").endpoint());
        assertEquals("127.0.0.1", Reference.parse("127.0.0.1:5000/b").sourceLabelHost());
        assertEquals("docker.io", Reference.parse("busybox").sourceLabelHost());
        assertEquals("[::1]", Reference.parse("[::1]:5000/b").sourceLabelHost());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Busybox", "busybox:", "busybox:-x", "busybox@sha256:abc", "busybox@md5:" + "ab",
        "a//b", "/busybox", "busybox/", "host:5000/", "upper/Repo", "bad_host:x/repo", "repo:tag:tag",
        "busybox@", "a/-b", "a/b..c", "ex ample/x"})
    void rejectsMalformed(String in) {
        JctrException e = assertThrows(JctrException.class, () -> Reference.parse(in));
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
        assertTrue(e.getMessage().startsWith("invalid reference \"" + in + "\""), e.getMessage());
    }

    @Test
    void tooLongNamesAndTags() {
        assertThrows(JctrException.class, () -> Reference.parse("busybox:" + "t".repeat(129)));
        String longRepo = "a".repeat(300);
        assertThrows(JctrException.class, () -> Reference.parse("host.io/" + longRepo));
    }
}
