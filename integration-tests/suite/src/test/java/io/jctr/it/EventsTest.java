package io.jctr.it;

import static io.jctr.it.Commands.ctr;
import static io.jctr.it.Commands.run;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code ctr events} receives the daemon's events, decoded by ctr, and honours filters. */
@Tag("root")
class EventsTest {

    @Test
    void ctrEventsShowsNamespaceEventsMatchingTheFilter() throws Exception {
        try (JctrDaemon d = JctrDaemon.create()) {
            d.start();
            Process events = new ProcessBuilder(ctr(d.address(), "events", "topic~=\"/namespaces/\"")).redirectErrorStream(true).start();
            try {
                List<String> seen = new ArrayList<>();
                CompletableFuture<Boolean> deleted = CompletableFuture.supplyAsync(() -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = r.readLine(); line != null; line = r.readLine()) {
                            synchronized (seen) {
                                seen.add(line);
                            }
                            if (line.contains("/namespaces/delete")) {
                                return true;
                            }
                        }
                        return false;
                    } catch (java.io.IOException e) {
                        return false;
                    }
                });
                // the subscription is in place once an event published after it arrives; publish until one does
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int round = 0;
                while (System.nanoTime() < deadline) {
                    String ns = "ev" + round++;
                    run(ctr(d.address(), "namespaces", "create", ns, "k=v")).ok();
                    run(ctr(d.address(), "-n", ns, "leases", "create", "--id", "l")).ok(); // not a namespace event
                    run(ctr(d.address(), "-n", ns, "leases", "rm", "l")).ok();
                    run(ctr(d.address(), "namespaces", "rm", ns)).ok();
                    try {
                        if (deleted.get(1, TimeUnit.SECONDS)) {
                            break;
                        }
                    } catch (java.util.concurrent.TimeoutException e) {
                        // not subscribed yet when these were published: go again
                    }
                }
                synchronized (seen) {
                    String all = String.join("\n", seen);
                    assertTrue(deleted.isDone() && deleted.get(), all);
                    assertTrue(all.contains("/namespaces/create") && all.contains("\"labels\":{\"k\":\"v\"}"), all);
                    assertTrue(!all.contains("/leases"), all);
                }
            } finally {
                events.destroyForcibly().waitFor();
            }
        }
    }
}
