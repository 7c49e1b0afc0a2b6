package io.jctr.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigBinderTest {

    interface Sample {
        default String mountProgram() {
            return "none";
        }

        default int workers() {
            return 4;
        }

        Optional<Path> cache();

        default Duration timeout() {
            return Duration.ofSeconds(3);
        }

        default List<String> names() {
            return List.of("a");
        }

        boolean enabled();
    }

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 100)).build();
    }

    @Test
    void bindsKebabCaseKeysWithDefaults() {
        Sample s = ConfigBinder.bind(config(Map.of("p.enabled", "true", "p.timeout", "500ms", "p.names", "x,y")), "p", Sample.class);
        assertEquals("none", s.mountProgram());
        assertEquals(4, s.workers());
        assertEquals(Optional.empty(), s.cache());
        assertEquals(Duration.ofMillis(500), s.timeout());
        assertEquals(List.of("x", "y"), s.names());
        assertTrue(s.enabled());
    }

    @Test
    void wrongValuesAndMissingKeysNameTheKey() {
        var bad = assertThrows(IllegalArgumentException.class,
                () -> ConfigBinder.bind(config(Map.of("p.enabled", "true", "p.workers", "four")), "p", Sample.class));
        assertTrue(bad.getMessage().contains("p.workers") && bad.getMessage().contains("four"), bad.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> ConfigBinder.bind(config(Map.of()), "p", Sample.class));
        assertEquals("missing value for config key p.enabled", missing.getMessage());
        var flag = assertThrows(IllegalArgumentException.class,
                () -> ConfigBinder.bind(config(Map.of("p.enabled", "maybe")), "p", Sample.class));
        assertTrue(flag.getMessage().contains("not a boolean"), flag.getMessage());
    }

    @Test
    void yamlFileSectionsAndFlagsStack(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("config.yaml");
        Files.writeString(yaml, """
                jctr:
                  root: /srv/jctr
                  log-level: debug
                  disabled-plugins: [greeter, io.jctr.x.v1.y]
                  plugins:
                    "io.jctr.sample.v1.greeter":
                      greeting: hi
                """);
        SmallRyeConfig all = DaemonConfigLoader.load(yaml, Map.of("jctr.log-level", "warn"));
        DaemonConfig cfg = DaemonConfigLoader.daemon(all);
        assertEquals(Path.of("/srv/jctr"), cfg.root());
        assertEquals("warn", cfg.logLevel());
        assertEquals(List.of("greeter", "io.jctr.x.v1.y"), cfg.disabledPlugins());
        assertEquals("/run/jctr/jctr.sock", cfg.address());
        assertEquals(Optional.of("hi"), all.getOptionalValue("jctr.plugins.\"io.jctr.sample.v1.greeter\".greeting", String.class));
    }

    @Test
    void malformedOrUnknownConfigIsRejected(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "jctr:\n  root: [unclosed\n");
        var e = assertThrows(IllegalArgumentException.class, () -> DaemonConfigLoader.load(broken, Map.of()));
        assertTrue(e.getMessage().startsWith("config file " + broken + " is not valid YAML"), e.getMessage());

        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, "jctr:\n  rot: /x\n");
        var u = assertThrows(IllegalArgumentException.class, () -> DaemonConfigLoader.load(unknown, Map.of()));
        assertTrue(u.getMessage().contains("unknown key jctr.rot"), u.getMessage());

        var missing = assertThrows(IllegalArgumentException.class, () -> DaemonConfigLoader.load(dir.resolve("nope.yaml"), Map.of()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());

        var level = assertThrows(IllegalArgumentException.class,
                () -> DaemonConfigLoader.daemon(DaemonConfigLoader.load(null, Map.of("jctr.log-level", "loud"))));
        assertTrue(level.getMessage().contains("invalid log level \"loud\""), level.getMessage());
    }
}
