package io.jctr.spi.runtime;

import java.time.Instant;
import java.util.Objects;

/**
 * How a process ended (containerd's {@code runtime.Exit}).
 *
 * @param pid      the process's pid in the host's pid namespace, 0 if it never had one
 * @param code     the exit code: 0-255 for a normal exit, {@code 128 + signal} when a signal
 *                 killed it, 255 when it is unknown (the process was lost, or never started)
 * @param exitedAt when it exited (or was found lost)
 */
public record ExitStatus(int pid, int code, Instant exitedAt) {

    /**
     * Validates the components.
     *
     * @throws NullPointerException     when the time is {@code null}
     * @throws IllegalArgumentException when the pid or the code is negative
     */
    public ExitStatus {
        Objects.requireNonNull(exitedAt, "exitedAt");
        if (pid < 0 || code < 0) {
            throw new IllegalArgumentException("negative pid " + pid + " or exit code " + code);
        }
    }
}
