package io.jctr.core.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.jctr.core.identifiers.Identifiers;
import io.jctr.spi.JctrException;

/**
 * The namespace of the current call, from the {@code containerd-namespace} metadata key that
 * containerd's clients send on every call ({@code default} when absent). A malformed name fails
 * the call with INVALID_ARGUMENT before any service sees it.
 */
public final class RequestNamespace implements ServerInterceptor {

    public static final Metadata.Key<String> HEADER = Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> KEY = Context.key("jctr-namespace");

    /** The namespace of the call running on this thread. */
    public static String current() {
        String ns = KEY.get();
        return ns == null ? Identifiers.DEFAULT_NAMESPACE : ns;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String ns = headers.get(HEADER);
        if (ns == null || ns.isEmpty()) {
            ns = Identifiers.DEFAULT_NAMESPACE;
        }
        try {
            Identifiers.validate("namespace", ns);
        } catch (JctrException e) {
            call.close(Status.INVALID_ARGUMENT.withDescription(e.getMessage()), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValue(KEY, ns), call, headers, next);
    }
}
