package io.jctr.core.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jctr.spi.snapshots.Mount;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which mounts {@link DiffService} applies to directly instead of mounting them. */
class DiffServiceBindTest {

    @Test
    void singleWritableBindIsAppliedToItsSource() {
        assertEquals(Path.of("/s/1/fs"), DiffService.writableBindSource(List.of(new Mount("bind", "/s/1/fs", List.of("rbind", "rw")))));
        assertEquals(Path.of("/s/1/fs"), DiffService.writableBindSource(List.of(new Mount("none", "/s/1/fs", List.of("bind")))));
    }

    @Test
    void everythingElseIsMounted() {
        assertNull(DiffService.writableBindSource(List.of(new Mount("bind", "/s/1/fs", List.of("rbind", "ro")))));
        assertNull(DiffService.writableBindSource(List.of(new Mount("overlay", "overlay", List.of("upperdir=/u", "lowerdir=/l")))));
        assertNull(DiffService.writableBindSource(List.of(new Mount("bind", "/a", List.of("rbind")), new Mount("bind", "/b", List.of("rbind")))));
        assertNull(DiffService.writableBindSource(List.of(new Mount("bind", "/a", "sub", List.of("rbind")))));
    }
}
