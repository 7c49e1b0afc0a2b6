package io.jctr.spi;

/**
 * Thrown from {@link PluginFactory#init} when the plugin does not apply on this machine
 * (a kernel feature is missing, the daemon is not root, a required plugin is absent). The
 * registry records the plugin as {@code skip} with this message as the reason; the daemon
 * goes on. Any other exception records the plugin as {@code error}.
 */
public class SkipPluginException extends Exception {

    /** @param reason why the plugin cannot run here, e.g. "overlayfs not supported by the kernel" */
    public SkipPluginException(String reason) {
        super(reason);
    }

    public SkipPluginException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
