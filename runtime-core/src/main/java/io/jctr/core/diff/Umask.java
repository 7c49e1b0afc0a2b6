package io.jctr.core.diff;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's umask, read from {@code /proc/self/status} (Linux 4.7+): umask(2) cannot read it
 * without setting it for every thread at once.
 */
final class Umask {

    private static final Path STATUS = Path.of("/proc/self/status");

    private Umask() {
    }

    /** The umask, or -1 when it cannot be read. */
    static int current() {
        try (BufferedReader status = Files.newBufferedReader(STATUS)) {
            for (String line = status.readLine(); line != null; line = status.readLine()) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring("Umask:".length()).trim(), 8);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
