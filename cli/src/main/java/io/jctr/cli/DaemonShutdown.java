package io.jctr.cli;

import io.jctr.core.daemon.Daemon;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Stops the running daemon when Quarkus shuts down (SIGTERM, SIGINT), before logging stops. */
@ApplicationScoped
class DaemonShutdown {

    static volatile Daemon running;

    void onStop(@Observes ShutdownEvent event) {
        Daemon d = running;
        if (d != null) {
            d.close();
        }
    }
}
