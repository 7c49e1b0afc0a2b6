package io.jctr.plugins.runtime.linux.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jctr.plugins.runtime.linux.spec.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceStateTest {

    private static Resources.DeviceRule allow(String type, Long major, Long minor, String access) {
        return new Resources.DeviceRule(true, type, major, minor, access);
    }

    private static Resources.DeviceRule deny(String type, Long major, Long minor, String access) {
        return new Resources.DeviceRule(false, type, major, minor, access);
    }

    private static DeviceState.Write allowW(String line) {
        return new DeviceState.Write("devices.allow", line);
    }

    private static DeviceState.Write denyW(String line) {
        return new DeviceState.Write("devices.deny", line);
    }

    @Test
    void rulesReplayFromDenyEverything() {
        DeviceState s = DeviceState.of(List.of(deny("a", null, null, "rwm"),
                allow("c", 1L, 3L, "rw"), allow("c", 1L, 3L, "m"), allow("c", null, null, "m"),
                deny("c", 1L, 3L, "w")));
        assertEquals(new DeviceState(false, Map.of("c 1:3", "rm", "c *:*", "m")), s);
        assertEquals(new DeviceState(true, Map.of("b 8:0", "w")), DeviceState.of(List.of(
                allow("a", null, null, "rwm"), deny("b", 8L, 0L, "w"))));
    }

    @Test
    void devicesListIsParsed() {
        assertEquals(new DeviceState(true, Map.of()), DeviceState.parse("a *:* rwm\n"));
        assertEquals(new DeviceState(false, Map.of("c 1:3", "rwm", "b *:*", "m")),
                DeviceState.parse("c 1:3 rwm\nb *:* m\n"));
        assertEquals(new DeviceState(false, Map.of()), DeviceState.parse(""));
    }

    @Test
    void fromAllowAllTheDefaultFlipsFirst() {
        DeviceState target = DeviceState.of(List.of(deny("", null, null, "rwm"),
                allow("c", 1L, 3L, "rwm")));
        assertEquals(List.of(denyW("a"), allowW("c 1:3 rwm")),
                DeviceState.parse("a *:* rwm").transitionTo(target));
    }

    @Test
    void aLiveUpdateGrantsThenRevokesWithoutAReset() {
        DeviceState current = DeviceState.parse("c 1:3 rwm\nc 1:5 rwm\nc 1:7 rw\n");
        DeviceState target = DeviceState.of(List.of(deny("", null, null, "rwm"),
                allow("c", 1L, 3L, "rwm"), allow("c", 1L, 7L, "rwm"), allow("c", 1L, 9L, "r")));
        assertEquals(List.of(allowW("c 1:7 m"), allowW("c 1:9 r"), denyW("c 1:5 rwm")),
                current.transitionTo(target));
        assertEquals(List.of(), target.transitionTo(target));
    }

    @Test
    void toAllowModeTheExceptionsAreDenies() {
        DeviceState target = DeviceState.of(List.of(allow("a", null, null, "rwm"),
                deny("c", 10L, 200L, "rwm")));
        assertEquals(List.of(allowW("a"), denyW("c 10:200 rwm")),
                DeviceState.parse("c 1:3 rwm").transitionTo(target));
    }

    @Test
    void runcDefaultsFollowTheSpecsRules() {
        Resources r = RuncDeviceDefaults.appendTo(new Resources(List.of(deny("", null, null,
                "rwm")), null, null, null, null, null, null, null, null));
        assertEquals(12, r.devices().size());
        DeviceState s = DeviceState.of(r.devices());
        assertEquals("rwm", s.exceptions().get("c 136:*"));
        assertEquals("m", s.exceptions().get("b *:*"));
        assertEquals(false, s.defaultAllow());
        assertEquals(12, RuncDeviceDefaults.appendTo(null).devices().size());
    }
}
