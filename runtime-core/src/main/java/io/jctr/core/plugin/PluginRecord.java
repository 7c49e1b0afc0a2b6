package io.jctr.core.plugin;

import io.jctr.spi.PluginFactory;
import io.jctr.spi.Registration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One discovered plugin and the outcome of its initialisation. Written only by the registry's
 * initialising thread; read by others after {@link PluginRegistry#initAll} returned.
 */
public final class PluginRecord {

    private final PluginFactory factory;
    private final Registration registration;
    private final String source;
    private final Map<String, String> exports = new LinkedHashMap<>();
    private volatile PluginStatus status;
    private volatile String message = "";
    private volatile Object instance;

    PluginRecord(PluginFactory factory, Registration registration, String source) {
        this.factory = factory;
        this.registration = registration;
        this.source = source;
    }

    public Registration registration() {
        return registration;
    }

    /** Where the plugin came from: {@code classpath} or the jar's path. */
    public String source() {
        return source;
    }

    /** The outcome, or {@code null} before initialisation. */
    public PluginStatus status() {
        return status;
    }

    /** The reason for {@code skip} or the error for {@code error}; empty when ok. */
    public String message() {
        return message;
    }

    /** The plugin's instance when {@link PluginStatus#OK}, else {@code null}. */
    public Object instance() {
        return instance;
    }

    public Map<String, String> exports() {
        return Collections.unmodifiableMap(exports);
    }

    PluginFactory factory() {
        return factory;
    }

    void putExport(String key, String value) {
        exports.put(key, value);
    }

    void ok(Object inst) {
        this.instance = inst;
        this.status = PluginStatus.OK;
        this.message = "";
    }

    void skip(String reason) {
        this.status = PluginStatus.SKIP;
        this.message = reason;
    }

    void error(String error) {
        this.status = PluginStatus.ERROR;
        this.message = error;
    }

    @Override
    public String toString() {
        return registration.name() + " " + status + (message.isEmpty() ? "" : ": " + message);
    }
}
