package io.jctr.plugins.runtime.linux.launch;

import io.jctr.spi.JctrException;

/**
 * A launch that failed in the helper: the message is the helper's one line, which names the
 * failing step's spec field ({@code mounts[2]: mount "proc" on "/proc": operation not
 * permitted}). By the time it is thrown the helper and the init are dead and reaped.
 */
public final class LaunchException extends JctrException {

    private static final long serialVersionUID = 1L;

    LaunchException(Kind kind, String message) {
        super(kind, message);
    }
}
