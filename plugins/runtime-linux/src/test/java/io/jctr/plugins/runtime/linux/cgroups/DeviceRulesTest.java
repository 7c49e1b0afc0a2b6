package io.jctr.plugins.runtime.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.plugins.runtime.linux.spec.Resources;
import io.jctr.spi.JctrException;
import org.junit.jupiter.api.Test;

class DeviceRulesTest {

    @Test
    void linesInV1Syntax() {
        assertEquals("a", DeviceRules.line(new Resources.DeviceRule(false, "", null, null, "rwm")));
        assertEquals("a", DeviceRules.line(new Resources.DeviceRule(true, "a", 1L, 3L, "r")));
        assertEquals("c 1:3 rwm",
                DeviceRules.line(new Resources.DeviceRule(true, "c", 1L, 3L, "rwm")));
        assertEquals("c *:* m", DeviceRules.line(new Resources.DeviceRule(true, "c", null, -1L, "m")));
        assertEquals("b 8:* rwm", DeviceRules.line(new Resources.DeviceRule(true, "b", 8L, null, "")));
    }

    @Test
    void badRulesAreRejected() {
        assertBad(new Resources.DeviceRule(null, "c", 1L, 3L, "rwm"), "has no \"allow\"");
        assertBad(new Resources.DeviceRule(true, "p", 1L, 3L, "rwm"), "type \"p\" is invalid");
        assertBad(new Resources.DeviceRule(true, "c", 1L, 3L, "a"), "access \"a\" names none of r, w and m");
        assertBad(new Resources.DeviceRule(true, "c", 1L, 3L, "x"), "access \"x\" names none of r, w and m");
    }

    @Test
    void accessIsReadAsRuncReadsIt() {
        // runc's update.bats "devices [minimal transition rules]" denies c 1:11 "rwa": the "a"
        // grants nothing, order and repeats do not matter
        Resources.DeviceRule rwa = new Resources.DeviceRule(false, "c", 1L, 11L, "rwa");
        DeviceRules.check(rwa);
        assertEquals("c 1:11 rw", DeviceRules.line(rwa));
        assertEquals("c 1:3 rwm", DeviceRules.line(new Resources.DeviceRule(true, "c", 1L, 3L, "mwrr")));
        assertEquals("c 1:3 r", DeviceRules.line(new Resources.DeviceRule(true, "c", 1L, 3L, "rx")));
        assertEquals(DeviceState.of(java.util.List.of(new Resources.DeviceRule(true, "c", 1L, 11L, "rw"))),
                DeviceState.of(java.util.List.of(new Resources.DeviceRule(true, "c", 1L, 11L, "wra"))));
    }

    private static void assertBad(Resources.DeviceRule rule, String expected) {
        JctrException e = assertThrows(JctrException.class, () -> DeviceRules.check(rule));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind());
    }
}
