package io.jctr.core.events;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jctr.api.services.events.v1.Envelope;
import io.jctr.api.services.events.v1.EventsGrpc;
import io.jctr.api.services.events.v1.ForwardRequest;
import io.jctr.api.services.events.v1.PublishRequest;
import io.jctr.api.services.events.v1.SubscribeRequest;
import io.jctr.core.filters.Filter;
import io.jctr.core.filters.FilterParser;
import io.jctr.core.grpc.GrpcErrors;
import io.jctr.core.grpc.RequestNamespace;
import io.jctr.core.grpc.Timestamps;
import io.jctr.core.grpc.Unary;
import io.jctr.spi.JctrException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code containerd.services.events.v1.Events}: subscribers receive every event of every
 * namespace that passes their filters (fields {@code topic} and {@code namespace}); events
 * published by clients are relayed with their payload untouched.
 */
final class EventsGrpcService extends EventsGrpc.EventsImplBase {

    private static final Logger LOG = Logger.getLogger(EventsGrpcService.class.getName());

    private final EventExchange exchange;

    EventsGrpcService(EventExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<Empty> observer) {
        Unary.respond(observer, () -> {
            requirePayload(request.hasEvent(), request.getTopic());
            publish(RequestNamespace.current(), request.getTopic(), request.getEvent());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void forward(ForwardRequest request, StreamObserver<Empty> observer) {
        Unary.respond(observer, () -> {
            Envelope e = request.getEnvelope();
            requirePayload(e.hasEvent(), e.getTopic());
            publish(e.getNamespace(), e.getTopic(), e.getEvent());
            return Empty.getDefaultInstance();
        });
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<Envelope> observer) {
        Filter filter;
        try {
            filter = FilterParser.parse(request.getFiltersList());
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e));
            return;
        }
        ServerCallStreamObserver<Envelope> call = (ServerCallStreamObserver<Envelope>) observer;
        AutoCloseable subscription = exchange.subscribe(envelope -> {
            // plugins may publish plain Java payloads for in-process listeners; only protobuf travels
            boolean wire = envelope.event() instanceof Message;
            if (wire && filter.test(path -> field(envelope, path.isEmpty() ? "" : path.get(0)))) {
                synchronized (call) {
                    call.onNext(proto(envelope));
                }
            }
        });
        call.setOnCancelHandler(() -> {
            try {
                subscription.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing an event subscription", e);
            }
        });
    }

    private void publish(String namespace, String topic, Any event) {
        try {
            exchange.publish(namespace, topic, event);
        } catch (IllegalArgumentException e) {
            throw JctrException.invalidArgument("%s", e.getMessage());
        }
    }

    private static void requirePayload(boolean present, String topic) {
        if (!present) {
            throw JctrException.invalidArgument("event on topic \"%s\" has no payload", topic);
        }
    }

    private static Optional<String> field(EventExchange.Envelope e, String name) {
        return switch (name) {
            case "topic" -> Optional.of(e.topic());
            case "namespace" -> Optional.of(e.namespace());
            default -> Optional.empty();
        };
    }

    /** Payloads are wrapped with containerd's type URL: the proto full name, no prefix. */
    static Envelope proto(EventExchange.Envelope e) {
        Any payload = e.event() instanceof Any any ? any : pack((Message) e.event());
        return Envelope.newBuilder().setTimestamp(Timestamps.of(e.timestamp())).setNamespace(e.namespace())
                .setTopic(e.topic()).setEvent(payload).build();
    }

    private static Any pack(Message m) {
        return Any.newBuilder().setTypeUrl(m.getDescriptorForType().getFullName()).setValue(m.toByteString()).build();
    }
}
