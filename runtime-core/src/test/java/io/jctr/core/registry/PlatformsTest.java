package io.jctr.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.JctrException;
import io.jctr.spi.Platform;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformsTest {

    private static Platform p(String os, String arch, String variant) {
        return new Platform(os, arch, variant);
    }

    @Test
    void parsesSpecifiers() {
        assertEquals(p("linux", "arm64", ""), Platforms.parse("linux/arm64"));
        assertEquals(p("linux", "arm64", ""), Platforms.parse("linux/arm64/v8"));
        assertEquals(p("linux", "arm", "v7"), Platforms.parse("linux/arm"));
        assertEquals(p("linux", "arm", "v6"), Platforms.parse("linux/arm/v6"));
        assertEquals(p("linux", "amd64", ""), Platforms.parse("linux/x86_64"));
        assertEquals(p("linux", "arm64", ""), Platforms.parse("aarch64"));
        assertEquals(p("linux", "arm", "v7"), Platforms.parse("armhf"));
        assertEquals(p("windows", "amd64", ""), Platforms.parse("Windows/AMD64"));
        assertEquals(Platforms.host().architecture(), Platforms.parse("linux").architecture());
        for (String bad : List.of("", " ", "linux/", "/amd64", "a/b/c/d", "linux/am d64")) {
            assertEquals(JctrException.Kind.INVALID_ARGUMENT, assertThrows(JctrException.class, () -> Platforms.parse(bad)).kind(), bad);
        }
    }

    @Test
    void exactMatchRanksFirst() {
        Platform amd64 = p("linux", "amd64", "");
        assertEquals(0, Platforms.rank(amd64, p("linux", "amd64", "")));
        assertEquals(1, Platforms.rank(amd64, p("linux", "386", "")));
        assertEquals(-1, Platforms.rank(amd64, p("linux", "arm64", "")));
        assertEquals(-1, Platforms.rank(amd64, p("windows", "amd64", "")));
    }

    @Test
    void armVariantRules() {
        Platform v7 = p("linux", "arm", "v7");
        assertEquals(0, Platforms.rank(v7, p("linux", "arm", "v7")));
        assertEquals(0, Platforms.rank(v7, p("linux", "arm", "")), "arm without variant is v7");
        assertTrue(Platforms.rank(v7, p("linux", "arm", "v6")) > 0, "v7 runs v6");
        assertTrue(Platforms.rank(v7, p("linux", "arm", "v5")) > Platforms.rank(v7, p("linux", "arm", "v6")), "v6 preferred to v5");
        assertEquals(-1, Platforms.rank(p("linux", "arm", "v6"), p("linux", "arm", "v7")), "v6 does not run v7");
        Platform arm64 = p("linux", "arm64", "v8");
        assertEquals(0, Platforms.rank(arm64, p("linux", "arm64", "")), "arm64 is arm64/v8");
        assertEquals(0, Platforms.rank(arm64, p("linux", "aarch64", "v8")));
        assertTrue(Platforms.rank(arm64, p("linux", "arm", "v7")) > 0, "arm64 runs 32-bit arm");
        assertEquals(-1, Platforms.rank(p("linux", "arm64", "v9"), p("linux", "arm", "v7")));
    }
}
