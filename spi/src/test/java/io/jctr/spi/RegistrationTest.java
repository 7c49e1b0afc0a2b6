package io.jctr.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrationTest {

    interface Knobs {
    }

    @Test
    void describesAPlugin() {
        Registration r = Registration.of(PluginType.SNAPSHOTTER, "overlayfs").requires(PluginType.CONTENT)
                .requires(PluginType.METADATA).platforms(new Platform("linux", "amd64", "")).config(Knobs.class);
        assertEquals("io.jctr.snapshotter.v1.overlayfs", r.name());
        assertEquals(List.of(PluginType.CONTENT, PluginType.METADATA), r.requiredTypes());
        assertEquals("linux/amd64", r.platformList().get(0).toString());
        assertEquals(Knobs.class, r.configType());
    }

    @Test
    void rejectsMalformedTypesIdsAndConfig() {
        assertThrows(IllegalArgumentException.class, () -> Registration.of("snapshotter", "x"));
        assertThrows(IllegalArgumentException.class, () -> Registration.of("io.jctr.x.v1", "bad id"));
        assertThrows(IllegalArgumentException.class, () -> Registration.of("io.jctr.x.v1", "ok").requires("nope"));
        assertThrows(IllegalArgumentException.class, () -> Registration.of("io.jctr.x.v1", "ok").config(String.class));
        assertEquals(Registration.ALL, Registration.of("io.jctr.x.v1", "ok").requires(Registration.ALL).requiredTypes().get(0));
    }

    @Test
    void errorsCarryContainerdsSuffixOnce() {
        assertEquals("snapshot \"k\": already exists", JctrException.alreadyExists("snapshot \"%s\"", "k").getMessage());
        assertEquals("x: not found", new JctrException(JctrException.Kind.NOT_FOUND, "x: not found").getMessage());
        assertEquals("linux/arm64/v8", new Platform("linux", "arm64", "v8").toString());
    }
}
