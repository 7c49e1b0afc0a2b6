package io.jctr.spi.testing;

import io.jctr.spi.EventPublisher;
import io.jctr.spi.InitContext;
import io.jctr.spi.Registration;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An {@link InitContext} with a root, a state directory and recorded exports; nothing else: for
 * plugins' unit tests (snapshotters, the runtime), shipped in jctr-spi's test-jar.
 */
public final class StubInitContext implements InitContext {

    public final Map<String, String> exports = new HashMap<>();
    private final Registration registration;
    private final Path root;

    public StubInitContext(Registration registration, Path root) {
        this.registration = registration;
        this.root = root;
    }

    @Override
    public Registration registration() {
        return registration;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Path state() {
        return root.resolveSibling(root.getFileName() + "-state");
    }

    @Override
    public String address() {
        return "/run/jctr/jctr.sock";
    }

    @Override
    public <C> C config(Class<C> type) {
        throw new IllegalStateException("plugin " + registration + " declares no configuration");
    }

    @Override
    public <T> T get(String type, Class<T> as) {
        throw new IllegalStateException("plugin " + registration + " requires no " + type);
    }

    @Override
    public <T> Map<String, T> getAll(String type, Class<T> as) {
        return Map.of();
    }

    @Override
    public EventPublisher events() {
        return (namespace, topic, event) -> {
        };
    }

    @Override
    public void export(String key, String value) {
        exports.put(key, value);
    }
}
