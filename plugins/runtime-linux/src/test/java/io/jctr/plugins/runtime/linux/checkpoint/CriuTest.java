package io.jctr.plugins.runtime.linux.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a failing criu is reported, with stand-in criu scripts (the real one cannot dump on
 * every kernel; CheckpointsTest runs it): the log's first error, else stderr's last line, else
 * the exit status; always one line with the log's path.
 */
class CriuTest {

    @TempDir
    Path tmp;

    @Test
    void theLogsFirstErrorIsTheMessage() throws Exception {
        Criu criu = script("""
                log=""; while [ $# -gt 0 ]; do [ "$1" = --log-file ] && log=$2; shift; done
                printf '(00.001) Version\\n(00.2) Error (criu/mount.c:2): mnt: No external mount for /data\\n(00.3) Error (criu/cr-dump.c:3): Dumping FAILED.\\n' > "$log"
                echo 'Warn: something' >&2
                exit 1""");
        Path log = tmp.resolve("dump.log");

        IOException e = assertThrows(IOException.class, () -> criu.run("dump", List.of("--tree", "1"), log));

        assertEquals("criu dump failed: mnt: No external mount for /data (log: " + log + ")", e.getMessage());
    }

    @Test
    void withoutALogStderrOrTheExitStatusSaysWhy() throws Exception {
        Path log = tmp.resolve("restore.log");
        IOException stderr = assertThrows(IOException.class, () -> script("""
                echo 'first' >&2; echo "criu: unknown option $2" >&2; exit 1""").run("restore", List.of("-x"), log));
        assertEquals("criu restore failed: criu: unknown option -x (log: " + log + ")", stderr.getMessage());

        IOException status = assertThrows(IOException.class, () -> script("exit 7").run("dump", List.of(), log));
        assertEquals("criu dump failed: exit status 7 (log: " + log + ")", status.getMessage());

        script("exit 0").run("dump", List.of(), log); // success says nothing
        assertThrows(IOException.class, () -> new Criu(tmp.resolve("no-criu")).run("dump", List.of(), log));
    }

    private Criu script(String body) throws IOException {
        Path p = tmp.resolve("criu-" + System.nanoTime());
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return new Criu(p);
    }
}
