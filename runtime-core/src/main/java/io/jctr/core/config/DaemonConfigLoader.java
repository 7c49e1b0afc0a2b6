package io.jctr.core.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Builds the daemon configuration from, strongest first: command-line flags, system properties,
 * environment variables, the YAML file ({@code --config}, else {@code /etc/jctr/config.yaml} if
 * present), and the defaults of {@link DaemonConfig}. The file is checked strictly: malformed
 * YAML or an unknown key under {@code jctr} is an error naming the file and the key.
 */
public final class DaemonConfigLoader {

    public static final Path DEFAULT_FILE = Path.of("/etc/jctr/config.yaml");
    private static final String PLUGINS_SECTION = "jctr.plugins.";

    private DaemonConfigLoader() {
    }

    /**
     * @param file      the file named by {@code --config}, or {@code null} for the default
     * @param overrides {@code jctr.*} keys set by command-line flags
     * @throws IllegalArgumentException with a one-line reason when the configuration is invalid
     */
    public static SmallRyeConfig load(Path file, Map<String, String> overrides) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addSystemSources() // system properties (400) and environment (300)
                .withSources(new PropertiesConfigSource(overrides, "command line", 500));
        Path yaml = file != null ? file : (Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null);
        if (yaml != null) {
            YamlConfigSource source = readYaml(yaml);
            checkKeys(yaml, source.getPropertyNames());
            builder.withSources(source);
        }
        return builder.build();
    }

    /** The daemon's own section, bound and validated. */
    public static DaemonConfig daemon(SmallRyeConfig config) {
        DaemonConfig bound = ConfigBinder.bind(config, "jctr", DaemonConfig.class);
        LogLevels.parse(bound.logLevel());
        return bound;
    }

    private static YamlConfigSource readYaml(Path yaml) {
        if (!Files.isRegularFile(yaml)) {
            throw new IllegalArgumentException("config file " + yaml + " does not exist");
        }
        try {
            String text = Files.readString(yaml);
            return new YamlConfigSource("yaml " + yaml, text, 250);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + yaml + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").trim();
            throw new IllegalArgumentException("config file " + yaml + " is not valid YAML: " + msg, e);
        }
    }

    private static void checkKeys(Path yaml, Set<String> names) {
        Set<String> known = Set.of("jctr.address", "jctr.root", "jctr.state", "jctr.plugins-dir", "jctr.log-level",
                "jctr.disabled-plugins", "jctr.required-plugins");
        for (String name : names) {
            String base = name.replaceAll("\\[\\d+]$", "");
            if (!known.contains(base) && !name.startsWith(PLUGINS_SECTION)) {
                throw new IllegalArgumentException("config file " + yaml + " has unknown key " + name
                        + " (known: " + String.join(", ", known.stream().sorted().toList()) + ", jctr.plugins.<type>.<id>.*)");
            }
        }
    }
}
