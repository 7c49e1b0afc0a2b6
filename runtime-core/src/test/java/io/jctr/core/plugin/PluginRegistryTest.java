package io.jctr.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jctr.spi.InitContext;
import io.jctr.spi.PluginFactory;
import io.jctr.spi.Registration;
import io.jctr.spi.SkipPluginException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {

    interface Body {
        Object init(InitContext ctx) throws Exception;
    }

    private record TestFactory(Registration registration, Body body) implements PluginFactory {
        @Override
        public Object init(InitContext context) throws Exception {
            return body.init(context);
        }
    }

    private final List<String> initialised = new ArrayList<>();

    private PluginRecord plugin(Registration reg) {
        return plugin(reg, ctx -> reg.name());
    }

    private PluginRecord plugin(Registration reg, Body body) {
        return new PluginRecord(new TestFactory(reg, ctx -> {
            initialised.add(reg.name());
            return body.init(ctx);
        }), reg, "test");
    }

    private static PluginRegistry.Environment env(Map<String, String> config, List<String> disabled) {
        return new PluginRegistry.Environment(Path.of("/tmp/jctr-root"), Path.of("/tmp/jctr-state"), "/tmp/jctr.sock",
                new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(config, "test", 100)).build(), disabled);
    }

    private static PluginRecord find(PluginRegistry r, String name) {
        return r.plugins().stream().filter(p -> p.registration().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void initialisesInDependencyOrderWithEventsFirstAndStarLast() {
        PluginRegistry registry = new PluginRegistry(List.of(
                plugin(Registration.of("io.jctr.grpc.v1", "introspection").requires(Registration.ALL)),
                plugin(Registration.of("io.jctr.grpc.v1", "images").requires("io.jctr.service.v1")),
                plugin(Registration.of("io.jctr.service.v1", "images").requires("io.jctr.metadata.v1")),
                plugin(Registration.of("io.jctr.metadata.v1", "lmdb")),
                plugin(Registration.of("io.jctr.event.v1", "exchange"))));
        registry.initAll(env(Map.of(), List.of()));
        assertEquals(List.of("io.jctr.event.v1.exchange", "io.jctr.metadata.v1.lmdb", "io.jctr.service.v1.images",
                "io.jctr.grpc.v1.images", "io.jctr.grpc.v1.introspection"), initialised);
        registry.plugins().forEach(p -> assertEquals(PluginStatus.OK, p.status(), p.toString()));
    }

    @Test
    void missingRequirementIsSkipAndThrowingIsErrorAndOthersGoOn() {
        PluginRegistry registry = new PluginRegistry(List.of(
                plugin(Registration.of("io.jctr.snapshotter.v1", "needs").requires("io.jctr.nonexistent.v1")),
                plugin(Registration.of("io.jctr.snapshotter.v1", "broken"), ctx -> {
                    throw new IllegalStateException("device on fire");
                }),
                plugin(Registration.of("io.jctr.snapshotter.v1", "not-here"), ctx -> {
                    throw new SkipPluginException("overlayfs not supported by the kernel");
                }),
                plugin(Registration.of("io.jctr.content.v1", "local"))));
        registry.initAll(env(Map.of(), List.of()));
        PluginRecord needs = find(registry, "io.jctr.snapshotter.v1.needs");
        assertEquals(PluginStatus.SKIP, needs.status());
        assertEquals("no plugin of required type io.jctr.nonexistent.v1 is available", needs.message());
        assertEquals(PluginStatus.ERROR, find(registry, "io.jctr.snapshotter.v1.broken").status());
        assertEquals("device on fire", find(registry, "io.jctr.snapshotter.v1.broken").message());
        assertEquals(PluginStatus.SKIP, find(registry, "io.jctr.snapshotter.v1.not-here").status());
        assertEquals(PluginStatus.OK, find(registry, "io.jctr.content.v1.local").status());
        assertTrue(registry.instances("io.jctr.snapshotter.v1", Object.class).isEmpty());
    }

    @Test
    void cyclesAreErrorsNamingTheCycleAndDependentsAreSkipped() {
        PluginRegistry registry = new PluginRegistry(List.of(
                plugin(Registration.of("io.jctr.a.v1", "a").requires("io.jctr.b.v1")),
                plugin(Registration.of("io.jctr.b.v1", "b").requires("io.jctr.a.v1")),
                plugin(Registration.of("io.jctr.c.v1", "c").requires("io.jctr.a.v1"))));
        registry.initAll(env(Map.of(), List.of()));
        PluginRecord a = find(registry, "io.jctr.a.v1.a");
        assertEquals(PluginStatus.ERROR, a.status());
        assertEquals("dependency cycle: io.jctr.a.v1.a -> io.jctr.b.v1.b -> io.jctr.a.v1.a", a.message());
        assertEquals(PluginStatus.ERROR, find(registry, "io.jctr.b.v1.b").status());
        assertEquals(PluginStatus.SKIP, find(registry, "io.jctr.c.v1.c").status());
        assertTrue(initialised.isEmpty());
    }

    @Test
    void disabledByIdOrFullNameAndDuplicatesAreReported() {
        PluginRegistry registry = new PluginRegistry(List.of(
                plugin(Registration.of("io.jctr.content.v1", "local")),
                plugin(Registration.of("io.jctr.content.v1", "local")),
                plugin(Registration.of("io.jctr.snapshotter.v1", "native")),
                plugin(Registration.of("io.jctr.snapshotter.v1", "overlayfs"))));
        registry.initAll(env(Map.of(), List.of("native", "io.jctr.snapshotter.v1.overlayfs")));
        assertEquals("disabled in the configuration", find(registry, "io.jctr.snapshotter.v1.native").message());
        assertEquals(PluginStatus.SKIP, find(registry, "io.jctr.snapshotter.v1.overlayfs").status());
        long errors = registry.plugins().stream().filter(p -> p.status() == PluginStatus.ERROR).count();
        assertEquals(1, errors);
        assertEquals(List.of("io.jctr.content.v1.local"), initialised);
    }

    interface Knobs {
        default int depth() {
            return 1;
        }
    }

    @Test
    void configSectionIsBoundAndBadValuesAreErrors() {
        Registration reg = Registration.of("io.jctr.snapshotter.v1", "deep").config(Knobs.class);
        PluginRegistry good = new PluginRegistry(List.of(plugin(reg, ctx -> ctx.config(Knobs.class).depth())));
        good.initAll(env(Map.of("jctr.plugins.\"io.jctr.snapshotter.v1.deep\".depth", "7"), List.of()));
        assertEquals(7, find(good, reg.name()).instance());

        PluginRegistry bad = new PluginRegistry(List.of(plugin(reg, ctx -> ctx.config(Knobs.class).depth())));
        bad.initAll(env(Map.of("jctr.plugins.\"io.jctr.snapshotter.v1.deep\".depth", "seven"), List.of()));
        PluginRecord r = find(bad, reg.name());
        assertEquals(PluginStatus.ERROR, r.status());
        assertTrue(r.message().contains("jctr.plugins.\"io.jctr.snapshotter.v1.deep\".depth"), r.message());
        assertNull(r.instance());
    }

    @Test
    void requiredInstancesAreHandedOverAndExportsRecorded() {
        Object store = new Object();
        PluginRegistry registry = new PluginRegistry(List.of(
                plugin(Registration.of("io.jctr.service.v1", "user").requires("io.jctr.metadata.v1"), ctx -> {
                    ctx.export("root", ctx.root().toString());
                    return ctx.get("io.jctr.metadata.v1", Object.class);
                }),
                plugin(Registration.of("io.jctr.metadata.v1", "lmdb"), ctx -> store)));
        registry.initAll(env(Map.of(), List.of()));
        PluginRecord user = find(registry, "io.jctr.service.v1.user");
        assertSame(store, user.instance());
        assertEquals(Map.of("root", "/tmp/jctr-root/io.jctr.service.v1.user"), user.exports());
    }

    @Test
    void closesInstancesInReverseOrder() {
        List<String> closed = new ArrayList<>();
        PluginRegistry registry = new PluginRegistry(List.of(
                plugin(Registration.of("io.jctr.service.v1", "b").requires("io.jctr.metadata.v1"), ctx -> (AutoCloseable) () -> closed.add("b")),
                plugin(Registration.of("io.jctr.metadata.v1", "a"), ctx -> (AutoCloseable) () -> closed.add("a"))));
        registry.initAll(env(Map.of(), List.of()));
        registry.close();
        assertEquals(List.of("b", "a"), closed);
    }
}
