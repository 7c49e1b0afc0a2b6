package io.jctr.plugins.content.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.PluginFactory;
import io.jctr.spi.PluginType;
import io.jctr.spi.Registration;
import io.jctr.spi.content.ContentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalContentPluginTest {

    @TempDir
    Path tmp;

    @Test
    void registersAsTheLocalContentPlugin() {
        Registration r = new LocalContentPlugin().registration();
        assertEquals(PluginType.CONTENT, r.type());
        assertEquals("local", r.id());
        assertEquals("io.jctr.content.v1.local", r.name());
        assertEquals(List.of(), r.requiredTypes());
    }

    @Test
    void initCreatesTheRootAndExportsIt() throws Exception {
        LocalContentPlugin plugin = new LocalContentPlugin();
        Path root = tmp.resolve("var/lib/jctr/io.jctr.content.v1.local");
        TestInitContext context = new TestInitContext(plugin.registration(), root);

        ContentStore store = assertInstanceOf(ContentStore.class, plugin.init(context));

        assertTrue(Files.isDirectory(root.resolve("blobs/sha256")));
        assertTrue(Files.isDirectory(root.resolve("ingest")));
        assertEquals(Map.of("root", root.toString()), context.exports());
        assertEquals(List.of(), store.listStatuses(s -> true));
    }

    @Test
    void serviceLoaderFindsThePlugin() {
        List<String> found = ServiceLoader.load(PluginFactory.class).stream()
                .map(p -> p.type().getName()).collect(Collectors.toList());
        assertTrue(found.contains(LocalContentPlugin.class.getName()), found.toString());
    }
}
