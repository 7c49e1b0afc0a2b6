package io.jctr.plugins.runtime.linux.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriuLogTest {

    @TempDir
    Path tmp;

    @Test
    void theFirstErrorIsTheCause() throws IOException {
        // criu 3.17's dump.log on a kernel whose vDSO layout it does not know
        Path log = Files.writeString(tmp.resolve("dump.log"), """
                (00.000000) Version: 3.17.1 (gitid 0)
                (00.291989) vdso: Parsing at 7ffd3a5f2000 7ffd3a5f4000
                (00.292014) Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds
                (00.292018) Error (criu/vdso.c:613): vdso: Failed to fill self vdso symtable
                (00.292021) Error (criu/kerndat.c:1615): kerndat_vdso_fill_symtable failed when initializing kerndat.
                (00.292096) Error (criu/crtools.c:260): Could not initialize kernel features detection.
                """);

        assertEquals("vdso: Unexpected rt vDSO area bounds", CriuLog.firstError(log));
        assertEquals(4, CriuLog.errors(log).size());
    }

    @Test
    void noErrorsNoLogNoMessage() throws IOException {
        assertNull(CriuLog.firstError(Files.writeString(tmp.resolve("ok.log"), "(00.1) Dumping finished successfully\n")));
        assertNull(CriuLog.firstError(tmp.resolve("missing.log")));
        assertEquals(List.of(), CriuLog.errors(tmp.resolve("missing.log")));
    }
}
