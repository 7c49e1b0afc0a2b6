package io.jctr.core.grpc;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Runs the body of a unary call and answers with its result or with the mapped error status. */
public final class Unary {

    private Unary() {
    }

    public static <T> void respond(StreamObserver<T> observer, Supplier<T> body) {
        T result;
        try {
            result = body.get();
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatus(e));
            return;
        }
        observer.onNext(result);
        observer.onCompleted();
    }
}
