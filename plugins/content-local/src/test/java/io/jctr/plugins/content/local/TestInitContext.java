package io.jctr.plugins.content.local;

import io.jctr.spi.EventPublisher;
import io.jctr.spi.InitContext;
import io.jctr.spi.Registration;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The part of an {@link InitContext} a plugin without configuration or dependencies uses. */
final class TestInitContext implements InitContext {

    private final Registration registration;
    private final Path root;
    private final Map<String, String> exports = new LinkedHashMap<>();

    TestInitContext(Registration registration, Path root) {
        this.registration = registration;
        this.root = root;
    }

    Map<String, String> exports() {
        return exports;
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
        throw new UnsupportedOperationException("no state directory in this test");
    }

    @Override
    public String address() {
        throw new UnsupportedOperationException("no daemon address in this test");
    }

    @Override
    public <C> C config(Class<C> type) {
        throw new IllegalStateException("plugin " + registration + " declares no configuration");
    }

    @Override
    public <T> T get(String type, Class<T> as) {
        throw new UnsupportedOperationException("no other plugins in this test: " + type);
    }

    @Override
    public <T> Map<String, T> getAll(String type, Class<T> as) {
        return Map.of();
    }

    @Override
    public EventPublisher events() {
        throw new UnsupportedOperationException("no events in this test");
    }

    @Override
    public void export(String key, String value) {
        exports.put(key, value);
    }
}
