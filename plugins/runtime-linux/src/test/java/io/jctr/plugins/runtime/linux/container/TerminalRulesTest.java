package io.jctr.plugins.runtime.linux.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jctr.plugins.runtime.linux.launch.LaunchRequest;
import io.jctr.plugins.runtime.linux.spec.RuntimeSpec;
import io.jctr.plugins.runtime.linux.spec.SpecParser;
import io.jctr.plugins.runtime.linux.spec.TestSpecs;
import io.jctr.spi.JctrException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** runc's rules for the terminal, the console socket and detaching (utils_linux.go). */
class TerminalRulesTest {

    private static final Path SOCKET = Path.of("/run/console.sock");

    private static RuntimeSpec spec(boolean terminal, Integer height, Integer width) {
        ObjectNode s = TestSpecs.minimal();
        ObjectNode process = (ObjectNode) s.get("process");
        process.put("terminal", terminal);
        if (height != null) {
            process.putObject("consoleSize").put("height", height).put("width", width);
        }
        return SpecParser.parse(TestSpecs.bytes(s));
    }

    @Test
    void aForegroundTerminalIsRelayed() {
        LaunchRequest.Terminal t = LinuxContainers.terminal(spec(true, null, null), null, true);
        assertEquals(new LaunchRequest.Terminal(null, 0, 0), t);
    }

    @Test
    void aDetachedTerminalGoesToTheSocketWithItsSize() {
        LaunchRequest.Terminal t = LinuxContainers.terminal(spec(true, 10, 110), SOCKET, false);
        assertEquals(new LaunchRequest.Terminal(SOCKET, 10, 110), t);
    }

    @Test
    void noTerminalNoSocket() {
        assertNull(LinuxContainers.terminal(spec(false, null, null), null, false));
        assertNull(LinuxContainers.terminal(spec(false, null, null), null, true));
    }

    @Test
    void aDetachedTerminalNeedsASocket() {
        JctrException e = assertThrows(JctrException.class,
                () -> LinuxContainers.terminal(spec(true, null, null), null, false));
        assertEquals("cannot allocate tty if runc will detach without setting console socket: invalid argument",
                e.getMessage());
    }

    @Test
    void aSocketNeedsADetachedTerminal() {
        assertThrows(JctrException.class, () -> LinuxContainers.terminal(spec(false, null, null), SOCKET, false));
        assertThrows(JctrException.class, () -> LinuxContainers.terminal(spec(true, null, null), SOCKET, true));
    }
}
