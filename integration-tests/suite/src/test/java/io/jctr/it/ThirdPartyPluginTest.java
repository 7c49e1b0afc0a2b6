package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.jctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sample plugin jar (integration-tests/sample-plugin, built against jctr-spi only) dropped
 * into the plugins directory: one plugin initialises with its configuration section, one has a
 * requirement nobody provides, one throws.
 */
@Tag("root")
class ThirdPartyPluginTest {

    private static JctrDaemon daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = JctrDaemon.create();
        Path jar = Path.of(System.getProperty("jctr.sample.plugin"));
        assertTrue(Files.isRegularFile(jar), "sample plugin jar not built: " + jar);
        Files.copy(jar, daemon.pluginsDir.resolve("sample.jar"));
        Path config = daemon.dir.resolve("config.yaml");
        Files.writeString(config, """
                jctr:
                  plugins:
                    "io.jctr.sample.v1.greeter":
                      greeting: ahoy
                      repeat: 2
                """);
        daemon = daemon.withConfig(config).start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    @Test
    void ctrShowsOkSkipAndError() {
        var r = run(ctr(daemon.address(), "plugins", "ls", "type==io.jctr.sample.v1")).ok();
        assertTrue(Pattern.compile("(?m)^io\\.jctr\\.sample\\.v1 +greeter +- +ok\\s*$").matcher(r.out()).find(), r.toString());
        assertTrue(Pattern.compile("(?m)^io\\.jctr\\.sample\\.v1 +needs-missing +- +skip\\s*$").matcher(r.out()).find(), r.toString());
        assertTrue(Pattern.compile("(?m)^io\\.jctr\\.sample\\.v1 +failing +- +error\\s*$").matcher(r.out()).find(), r.toString());
        // the daemon itself is unaffected
        run(ctr(daemon.address(), "namespaces", "ls")).ok();
    }

    @Test
    void detailsCarryReasonErrorConfigAndIsolation() {
        var r = run(jctr(daemon.address(), "plugins", "ls", "-d", "type==io.jctr.sample.v1")).ok();
        assertTrue(r.out().contains("Error:         no plugin of required type io.jctr.nonexistent.v1 is available: skip plugin"), r.toString());
        assertTrue(r.out().contains("Error:         sample failure: the device is on fire"), r.toString());
        assertTrue(r.out().contains("Exports:       greeting=ahoyahoy"), r.toString());
        assertTrue(r.out().contains("Exports:       sees-daemon-classes=false"), r.toString());
        assertTrue(r.out().contains("Exports:       sees-grpc=false"), r.toString());
    }
}
