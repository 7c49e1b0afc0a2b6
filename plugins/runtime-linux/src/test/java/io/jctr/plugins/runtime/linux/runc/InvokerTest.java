package io.jctr.plugins.runtime.linux.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jctr.plugins.runtime.linux.container.Caller;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InvokerTest {

    private static Invoker client(int pid) {
        PrintStream none = new PrintStream(OutputStream.nullOutputStream());
        return new Invoker(new ByteArrayInputStream(new byte[0]), none, none, Path.of("/work/bundle"),
                Path.of("/proc/" + pid), Caller.SELF);
    }

    @Test
    void relativePathsAreTheInvokersDirectorys() {
        Invoker c = client(42);
        assertEquals(Path.of("/work/bundle"), c.path(""));
        assertEquals(Path.of("/work/bundle/process.json"), c.path("process.json"));
        assertEquals(Path.of("/work/bundle/../x"), c.path("../x"));
        assertEquals(Path.of("/etc/x.json"), c.path("/etc/x.json"));
    }

    @Test
    void pathsNamingThisProcessAreTheClientsInTheServer() {
        Invoker c = client(42);
        assertEquals(Path.of("/proc/42/fd/63"), c.path("/dev/fd/63"), "a shell's <(...) in the client");
        assertEquals(Path.of("/proc/42/fd/0"), c.path("/dev/stdin"));
        assertEquals(Path.of("/proc/42/fd/1"), c.path("/dev/stdout"));
        assertEquals(Path.of("/proc/42/fd/2"), c.path("/dev/stderr"));
        assertEquals(Path.of("/proc/42/cgroup"), c.path("/proc/self/cgroup"));
        assertEquals(Path.of("/dev/fdx"), c.path("/dev/fdx"));
        assertEquals(Path.of("/proc/selfish"), c.path("/proc/selfish"));
    }

    @Test
    void aOneShotJvmKeepsItsOwnPaths() {
        Invoker self = Invoker.self();
        assertEquals(Path.of("/dev/fd/63"), self.path("/dev/fd/63"));
        assertEquals(Path.of("/proc/self/cgroup"), self.path("/proc/self/cgroup"));
    }
}
