package io.jctr.plugins.runtime.linux.runc.server;

import io.jctr.plugins.runtime.linux.unix.UnixSockets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interrupts a command whose client has gone (killed, or its caller gave up): {@code events}
 * would otherwise stream to nobody forever. One thread polls every connection for
 * {@code POLLRDHUP}; clients never shut down their end while they wait for the exit code.
 */
final class HangupWatch {

    private static final int PERIOD_MILLIS = 200;

    private final Map<Integer, Thread> watched = new ConcurrentHashMap<>();

    HangupWatch() {
        Thread t = new Thread(this::loop, "jctr-runc-hangup-watch");
        t.setDaemon(true);
        t.start();
    }

    void watch(int conn, Thread command) {
        watched.put(conn, command);
    }

    void unwatch(int conn) {
        watched.remove(conn);
    }

    private void loop() {
        while (true) {
            if (watched.isEmpty()) {
                sleep();
                continue;
            }
            for (Map.Entry<Integer, Thread> e : watched.entrySet()) {
                if (UnixSockets.hungUp(e.getKey(), 0) && watched.remove(e.getKey(), e.getValue())) {
                    e.getValue().interrupt();
                }
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(PERIOD_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
