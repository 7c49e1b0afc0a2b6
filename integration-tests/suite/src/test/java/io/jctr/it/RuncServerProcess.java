package io.jctr.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The jctr-runc server behind a socket, for tests that must not leave it running: its pid is in
 * {@code SOCKET.pid} while it serves. The suite's own commands use the socket the build gives
 * them ({@code JCTR_RUNC_SERVER_SOCKET}, see the pom); {@link #stopSuiteServer} ends that one.
 */
final class RuncServerProcess {

    private RuncServerProcess() {
    }

    /** The server's pid, or -1 when none serves at {@code socket}. */
    static long pid(Path socket) {
        try {
            return Long.parseLong(Files.readString(Path.of(socket + ".pid")).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Stops the server at {@code socket} (SIGTERM, then SIGKILL after 20 s) and waits for it. */
    static void stop(Path socket) {
        long pid = pid(socket);
        Optional<ProcessHandle> server = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        server.ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
                h.onExit().join();
            }
        });
    }

    /** Stops the server the suite's commands started, if any. */
    static void stopSuiteServer() {
        String socket = System.getenv("JCTR_RUNC_SERVER_SOCKET");
        if (socket != null && !socket.isEmpty()) {
            stop(Path.of(socket));
        }
    }
}
