package io.jctr.core.events;

import io.jctr.spi.EventPublisher;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The daemon's event exchange: publishers hand events in, subscribers get every event (they
 * filter themselves, as containerd's exchange does). Delivery is synchronous on the publishing
 * thread, so subscribers must not block: a gRPC subscriber only queues the message on its call.
 * Thread-safe.
 */
public final class EventExchange implements EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventExchange.class.getName());
    private static final Pattern TOPIC = Pattern.compile("(/[A-Za-z0-9_.-]+)+");

    /** One published event. */
    public record Envelope(Instant timestamp, String namespace, String topic, Object event) {
    }

    private final CopyOnWriteArrayList<Consumer<Envelope>> subscribers = new CopyOnWriteArrayList<>();

    @Override
    public void publish(String namespace, String topic, Object event) {
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("invalid event topic \"" + topic + "\": want a path like /tasks/exit");
        }
        if (event == null) {
            throw new IllegalArgumentException("event on " + topic + " has no payload");
        }
        Envelope envelope = new Envelope(Instant.now(), namespace, topic, event);
        for (Consumer<Envelope> s : subscribers) {
            try {
                s.accept(envelope);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "event subscriber failed on " + topic + ": " + e.getMessage(), e);
            }
        }
    }

    /** Adds a subscriber until the returned handle is closed. */
    public AutoCloseable subscribe(Consumer<Envelope> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
