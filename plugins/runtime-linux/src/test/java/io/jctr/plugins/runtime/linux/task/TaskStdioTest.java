package io.jctr.plugins.runtime.linux.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jctr.plugins.runtime.linux.shim.ShimStdio;
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
        assertEquals(new ShimStdio(in.toString(), tmp.resolve("log").toString(), "", false),
                TaskStdio.check(new Stdio(in.toString(), "file://" + tmp.resolve("log"), "", false), "t"));
        assertEquals(new ShimStdio("", tmp.resolve("out").toString(), "", true),
                TaskStdio.check(new Stdio("", tmp.resolve("out").toString(), tmp.resolve("err").toString(), true), "t"),
                "with a terminal stderr is unused");
    }

    @Test
    void refusesWhatTheShimCannotOpen() {
        for (Stdio bad : new Stdio[] {
                new Stdio("", "relative/out", "", false),
                new Stdio("", "binary:///usr/bin/logger?x=1", "", false),
                new Stdio("file:///tmp/in", "", "", false),
                new Stdio(tmp.resolve("missing").toString(), "", "", false)}) {
            JctrException e = assertThrows(JctrException.class, () -> TaskStdio.check(bad, "task a/b"));
            assertEquals(JctrException.Kind.INVALID_ARGUMENT, e.kind(), e.getMessage());
        }
    }
}
