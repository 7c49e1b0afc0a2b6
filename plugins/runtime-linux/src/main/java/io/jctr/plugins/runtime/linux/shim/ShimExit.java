package io.jctr.plugins.runtime.linux.shim;

import java.time.Instant;

/**
 * One exit a shim observed: a child it reaped, as it recorded it in its {@code exits} file and
 * reported it.
 *
 * @param pid    the process, in the host's pid namespace
 * @param status its wait status ({@code waitpid(2)})
 * @param at     when the shim reaped it
 */
public record ShimExit(int pid, int status, Instant at) {

    /** The exit code a shell reports: the status, or 128 + the signal that killed it. */
    public int code() {
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    static Instant instant(long unixNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L));
    }
}
