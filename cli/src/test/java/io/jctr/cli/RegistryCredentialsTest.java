package io.jctr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.api.services.pull.v1.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCredentialsTest {

    @TempDir
    Path dir;

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hostsOfReferences() {
        assertEquals("docker.io", RegistryCredentials.host("busybox"));
        assertEquals("docker.io", RegistryCredentials.host("library/busybox:1"));
        assertEquals("127.0.0.1:5000", RegistryCredentials.host("127.0.0.1:5000/repo@sha256:" + "a".repeat(64)));
        assertEquals("localhost", RegistryCredentials.host("localhost/x"));
        assertEquals("ghcr.io", RegistryCredentials.host("ghcr.io/o/r:t"));
    }

    @Test
    void normalisedNames() {
        assertEquals("docker.io/library/busybox:latest", RegistryCredentials.normalize("busybox"));
        assertEquals("docker.io/library/busybox:1", RegistryCredentials.normalize("busybox:1"));
        assertEquals("docker.io/user/app:latest", RegistryCredentials.normalize("user/app"));
        assertEquals("127.0.0.1:5000/b:latest", RegistryCredentials.normalize("127.0.0.1:5000/b"));
        assertEquals("h.io/r@sha256:x", RegistryCredentials.normalize("h.io/r@sha256:x"));
    }

    @Test
    void userOption() {
        Credentials c = RegistryCredentials.resolve("bob:pw:with:colons", "busybox", dir.resolve("none.json"));
        assertEquals("bob", c.getUsername());
        assertEquals("pw:with:colons", c.getPassword());
    }

    @Test
    void dockerConfigAuths() throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, """
                {"auths": {
                  "https://index.docker.io/v1/": {"auth": "%s"},
                  "127.0.0.1:5000": {"auth": "%s"},
                  "https://ghcr.io": {"username": "gh", "password": "tok"},
                  "quay.io": {"identitytoken": "refresh-me"}
                }, "HttpHeaders": {"User-Agent": "x"}}""".formatted(b64("hubuser:hubpw"), b64("local:secret")));
        Credentials hub = RegistryCredentials.resolve(null, "busybox", config);
        assertEquals("hubuser", hub.getUsername());
        assertEquals("hubpw", hub.getPassword());
        Credentials local = RegistryCredentials.resolve(null, "127.0.0.1:5000/busybox", config);
        assertEquals("local", local.getUsername());
        assertEquals("secret", local.getPassword());
        assertEquals("gh", RegistryCredentials.resolve(null, "ghcr.io/o/r", config).getUsername());
        assertEquals("refresh-me", RegistryCredentials.resolve(null, "quay.io/o/r", config).getIdentityToken());
        assertEquals(Credentials.getDefaultInstance(), RegistryCredentials.resolve(null, "other.io/r", config));
        assertEquals(Credentials.getDefaultInstance(), RegistryCredentials.resolve(null, "busybox", dir.resolve("missing.json")));
    }

    @Test
    void malformedConfigsNameTheFile() throws Exception {
        Path notBase64 = dir.resolve("a.json");
        Files.writeString(notBase64, "{\"auths\":{\"h.io\":{\"auth\":\"***\"}}}");
        CliException e = assertThrows(CliException.class, () -> RegistryCredentials.resolve(null, "h.io/r", notBase64));
        assertTrue(e.getMessage().contains("auths.h.io.auth is not base64"), e.getMessage());
        Path noColon = dir.resolve("b.json");
        Files.writeString(noColon, "{\"auths\":{\"h.io\":{\"auth\":\"" + b64("nocolon") + "\"}}}");
        assertThrows(CliException.class, () -> RegistryCredentials.resolve(null, "h.io/r", noColon));
        Path broken = dir.resolve("c.json");
        Files.writeString(broken, "{\"auths\":");
        e = assertThrows(CliException.class, () -> RegistryCredentials.resolve(null, "h.io/r", broken));
        assertTrue(e.getMessage().startsWith("cannot read registry credentials from " + broken), e.getMessage());
    }

    @Test
    void missingHelperMeansNoCredentials() throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"credsStore\":\"jctr-test-no-such-helper\"}");
        assertEquals(Credentials.getDefaultInstance(), RegistryCredentials.resolve(null, "h.io/r", config));
    }
}
