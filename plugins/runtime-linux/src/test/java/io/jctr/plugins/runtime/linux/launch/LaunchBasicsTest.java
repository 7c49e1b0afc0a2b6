package io.jctr.plugins.runtime.linux.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The program runs in the container the spec describes and its output reaches stdout. */
class LaunchBasicsTest extends ContainerTestBase {

    @Test
    void echoReachesStdout() throws Exception {
        assertEquals(0, run(spec("echo", "hello from the container")), this::stderr);
        assertEquals("hello from the container\n", stdout());
    }
}
