package io.jctr.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a plugin declares about itself before it is initialised: its type and id, the types it
 * needs, the platforms it serves, and the interface its configuration section binds to.
 *
 * <p>A configuration interface has one no-argument method per key; the key is the method name in
 * kebab-case ({@code mountProgram()} reads {@code mount-program}). Supported return types are
 * {@code String}, {@code int}, {@code long}, {@code boolean}, {@code double}, {@code Path},
 * {@code Duration} (ISO-8601 or {@code 10s}/{@code 500ms}), {@code List<String>} and
 * {@code Optional} of those. A {@code default} method supplies the default; a key without a default
 * and without a value is an error reported against the plugin. Values come from the section
 * {@code jctr.plugins."<type>.<id>"} of the daemon configuration, environment variables and
 * system properties.
 *
 * <p>Immutable and thread-safe.
 */
public final class Registration {

    /** The only type a plugin may require without naming it: every other plugin comes first. */
    public static final String ALL = "*";

    private static final Pattern TYPE = Pattern.compile("[a-z0-9]+(\\.[a-z0-9]+)*\\.v[0-9]+");
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9]+([._-][a-zA-Z0-9]+)*");

    private final String type;
    private final String id;
    private final List<String> requires;
    private final List<Platform> platforms;
    private final Set<String> capabilities;
    private final Class<?> configType;

    private Registration(String type, String id, List<String> requires, List<Platform> platforms,
                         Set<String> capabilities, Class<?> configType) {
        this.type = type;
        this.id = id;
        this.requires = List.copyOf(requires);
        this.platforms = List.copyOf(platforms);
        this.capabilities = Set.copyOf(capabilities);
        this.configType = configType;
    }

    /**
     * Starts a registration.
     *
     * @param type a type such as {@link PluginType#SNAPSHOTTER}: dot-separated lower-case words
     *             ending in a version ({@code io.jctr.snapshotter.v1})
     * @param id   the plugin's id within its type, e.g. {@code overlayfs}
     * @throws IllegalArgumentException when the type or id is malformed
     */
    public static Registration of(String type, String id) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("invalid plugin type \"" + type + "\": want a form like io.jctr.content.v1");
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid plugin id \"" + id + "\" for type " + type);
        }
        return new Registration(type, id, List.of(), List.of(), Set.of(), null);
    }

    /** The plugin types that must be initialised first, or {@link #ALL}. Adds to earlier calls. */
    public Registration requires(String... types) {
        List<String> all = new ArrayList<>(requires);
        for (String t : types) {
            if (!ALL.equals(t) && !TYPE.matcher(t).matches()) {
                throw new IllegalArgumentException("plugin " + type + "." + id + " requires invalid type \"" + t + "\"");
            }
            all.add(t);
        }
        return new Registration(type, id, all, platforms, capabilities, configType);
    }

    /** The platforms the plugin serves (snapshotters and runtimes declare the host's). */
    public Registration platforms(Platform... ps) {
        return new Registration(type, id, requires, List.of(ps), capabilities, configType);
    }

    /** Free-form capability words shown by introspection (e.g. {@code remap-ids}). */
    public Registration capabilities(String... caps) {
        return new Registration(type, id, requires, platforms, Set.of(caps), configType);
    }

    /** The configuration interface bound from the plugin's section (see the class comment). */
    public Registration config(Class<?> configInterface) {
        if (!configInterface.isInterface()) {
            throw new IllegalArgumentException("config type of plugin " + type + "." + id + " must be an interface: " + configInterface.getName());
        }
        return new Registration(type, id, requires, platforms, capabilities, configInterface);
    }

    public String type() {
        return type;
    }

    public String id() {
        return id;
    }

    /** {@code type.id}, the plugin's unique name (containerd's {@code URI()}). */
    public String name() {
        return type + "." + id;
    }

    public List<String> requiredTypes() {
        return requires;
    }

    public List<Platform> platformList() {
        return platforms;
    }

    public Set<String> capabilitySet() {
        return capabilities;
    }

    /** The configuration interface, or {@code null} when the plugin takes no configuration. */
    public Class<?> configType() {
        return configType;
    }

    @Override
    public String toString() {
        return name();
    }
}
