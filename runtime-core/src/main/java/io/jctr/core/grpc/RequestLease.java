package io.jctr.core.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * The lease of the current call, from the {@code containerd-lease} metadata key that containerd's
 * clients send while a lease is active (pull, import, container creation): what the call creates
 * is added to that lease, so garbage collection keeps it until the lease ends.
 */
public final class RequestLease implements ServerInterceptor {

    public static final Metadata.Key<String> HEADER = Metadata.Key.of("containerd-lease", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> KEY = Context.key("jctr-lease");

    /** The lease id of the call running on this thread, or an empty string when there is none. */
    public static String current() {
        String lease = KEY.get();
        return lease == null ? "" : lease;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String lease = headers.get(HEADER);
        if (lease == null || lease.isEmpty()) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(KEY, lease), call, headers, next);
    }
}
