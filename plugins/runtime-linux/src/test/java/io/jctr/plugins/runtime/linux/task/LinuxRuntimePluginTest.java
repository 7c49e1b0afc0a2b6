package io.jctr.plugins.runtime.linux.task;

import io.jctr.spi.testing.StubInitContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxRuntimePluginTest {

    @Test
    void isFoundByServiceLoaderAsRuntimeLinux() {
        Registration r = ServiceLoader.load(PluginFactory.class).stream()
                .map(p -> p.get().registration())
                .filter(reg -> reg.type().equals(PluginType.RUNTIME))
                .findFirst().orElseThrow();
        assertEquals("io.jctr.runtime.v1", r.type());
        assertEquals("linux", r.id());
        assertEquals(1, r.platformList().size());
    }

    @Test
    @Tag("root")
    void initialisesWithoutTouchingTheStateDirectory(@TempDir Path tmp) throws Exception {
        LinuxRuntimePlugin plugin = new LinuxRuntimePlugin();
        StubInitContext context = new StubInitContext(plugin.registration(), tmp.resolve("root"));
        long start = System.nanoTime();
        Object instance = plugin.init(context);
        long millis = (System.nanoTime() - start) / 1_000_000;
        try (LinuxRuntime runtime = assertInstanceOf(LinuxRuntime.class, instance)) {
            assertTrue(runtime.tasks().isEmpty());
            assertEquals(context.state().toString(), context.exports.get("state"));
            assertTrue(!Files.exists(context.state()), "the state directory is created at the first create");
            assertTrue(millis < 2000, "init took " + millis + " ms");
        }
    }
}
