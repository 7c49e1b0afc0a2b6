package io.jctr.core.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.spi.snapshots.Mount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real mounts: needs root (CI is root). */
@Tag("root")
class MounterTest {

    @Test
    void bindAndReadOnlyBindMount(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("f"), "data");
        Path rw = Files.createDirectories(dir.resolve("rw"));
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Mounter.mountAll(List.of(new Mount("bind", src.toString(), "", List.of("rbind", "rw"))), rw);
        try {
            Files.writeString(rw.resolve("g"), "written through the bind");
            assertEquals("written through the bind", Files.readString(src.resolve("g")));
        } finally {
            Mounter.unmount(rw);
        }
        Mounter.mountAll(List.of(new Mount("bind", src.toString(), "", List.of("rbind", "ro"))), ro);
        try {
            assertEquals("data", Files.readString(ro.resolve("f")));
            assertThrows(IOException.class, () -> Files.writeString(ro.resolve("h"), "no"));
        } finally {
            Mounter.unmount(ro);
        }
    }

    @Test
    void aFailedMountSaysWhatAndWhy(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> Mounter.mount(
                new Mount("bind", dir.resolve("missing").toString(), "", List.of("bind")), dir));
        assertEquals("cannot mount bind " + dir.resolve("missing") + " on " + dir + " (bind): No such file or directory", e.getMessage());
    }
}
