package io.jctr.core.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MountOptionsTest {

    @Test
    void flagsAndDataAreSeparated() {
        MountOptions o = MountOptions.parse("overlay", List.of("index=off", "lowerdir=/a:/b", "upperdir=/u", "workdir=/w", "nosuid"));
        assertEquals(MountOptions.MS_NOSUID, o.flags());
        assertEquals("index=off,lowerdir=/a:/b,upperdir=/u,workdir=/w", o.data());
        assertFalse(o.remount());
    }

    @Test
    void readOnlyBindNeedsARemountAndRwClearsRo() {
        MountOptions ro = MountOptions.parse("bind", List.of("rbind", "ro"));
        assertEquals(MountOptions.MS_BIND | MountOptions.MS_REC | MountOptions.MS_RDONLY, ro.flags());
        assertTrue(ro.remount());
        MountOptions rw = MountOptions.parse("none", List.of("ro", "rw", "bind"));
        assertEquals(MountOptions.MS_BIND, rw.flags());
        assertFalse(rw.remount());
        assertEquals("", rw.data());
    }
}
