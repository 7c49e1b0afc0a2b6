package io.jctr.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void dockerHubBearer() {
        List<AuthChallenge> c = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"");
        assertEquals(1, c.size());
        assertEquals("bearer", c.get(0).scheme());
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:library/busybox:pull"), c.get(0).params());
    }

    @Test
    void basicAndSeveralChallenges() {
        List<AuthChallenge> c = AuthChallenge.parse("Basic realm=\"Registry Realm\", Bearer realm=\"https://a/t\", error=\"invalid_token\"");
        assertEquals(2, c.size());
        assertEquals("basic", c.get(0).scheme());
        assertEquals("Registry Realm", c.get(0).param("realm"));
        assertEquals("bearer", c.get(1).scheme());
        assertEquals("https://a/t", c.get(1).param("realm"));
        assertEquals("invalid_token", c.get(1).param("error"));
    }

    @Test
    void quotingAndCase() {
        List<AuthChallenge> c = AuthChallenge.parse("BEARER Realm=\"https://x/t?a=1,b=2\" , Service=reg, scope=\"a b\\\"c\"");
        assertEquals(1, c.size());
        assertEquals("https://x/t?a=1,b=2", c.get(0).param("realm"), "commas inside quotes stay");
        assertEquals("reg", c.get(0).param("service"), "token value");
        assertEquals("a b\"c", c.get(0).param("scope"), "escapes");
    }

    @Test
    void emptyAndGarbage() {
        assertTrue(AuthChallenge.parse(null).isEmpty());
        assertTrue(AuthChallenge.parse("").isEmpty());
        assertEquals("basic", AuthChallenge.parse("Basic").get(0).scheme());
        assertEquals("x", AuthChallenge.parse("Bearer realm=\"x").get(0).param("realm"), "unterminated quote");
        assertEquals(1, AuthChallenge.parse("Negotiate abc==").size());
    }
}
