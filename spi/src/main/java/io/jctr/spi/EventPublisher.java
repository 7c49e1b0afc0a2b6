package io.jctr.spi;

/**
 * Publishes events to the daemon's event exchange, from where subscribers (containerd's
 * {@code Events.Subscribe}, {@code jctr events}) receive them. Implementations are thread-safe
 * and never block on slow subscribers.
 */
public interface EventPublisher {

    /**
     * Publishes one event.
     *
     * @param namespace the namespace the event belongs to, e.g. {@code default}
     * @param topic     the topic path, e.g. {@code /tasks/exit}; must start with {@code /}
     * @param event     the payload; in-process subscribers receive it as it is, and the gRPC
     *                  event service forwards the payload types it knows to remote subscribers
     * @throws IllegalArgumentException when the topic or the payload is not acceptable
     */
    void publish(String namespace, String topic, Object event);
}
