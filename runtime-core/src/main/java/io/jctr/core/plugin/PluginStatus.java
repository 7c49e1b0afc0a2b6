package io.jctr.core.plugin;

/** Where a plugin ended after initialisation; what {@code plugins ls} prints. */
public enum PluginStatus {
    /** Initialised; its instance is available to others. */
    OK,
    /** Not applicable here (missing kernel feature, missing requirement, disabled). */
    SKIP,
    /** Its initialisation failed. */
    ERROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
