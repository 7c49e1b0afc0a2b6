package io.jctr.plugins.runtime.linux.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.plugins.runtime.linux.launch.LaunchRequest;
import io.jctr.spi.JctrException;
import io.jctr.spi.runtime.Stdio;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskStdioTest {

    @TempDir
    Path tmp;

    @Test
    void unconnectedStreamsAreDevNullAndFileUrisArePaths() throws Exception {
        Path in = Files.writeString(tmp.resolve("in"), "x");
        try (TaskStdio s = TaskStdio.open(new Stdio(in.toString(), "file://" + tmp.resolve("log"), "", false), "t",
                tmp.resolve("console.sock"))) {
            assertEquals(new LaunchRequest.Stdio(in, tmp.resolve("log"), Path.of("/dev/null")), s.paths());
            assertNull(s.consoleSocket());
        }
    }

    @Test
    void refusesWhatTheHelperCannotOpen() {
        for (Stdio bad : new Stdio[] {
                new Stdio("", "relative/out", "", false),
                new Stdio("", "binary:///usr/bin/logger?x=1", "", false),
                new Stdio("file:///tmp/in", "", "", false),
                new Stdio(tmp.resolve("missing").toString(), "", "", false)}) {
            JctrException e = assertThrows(JctrException.class, () -> TaskStdio.open(bad, "task a/b", tmp.resolve("c.sock")));
            assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind(), e.getMessage());
        }
    }
}
